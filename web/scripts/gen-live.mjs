// The live streams' message types, generated from the AsyncAPI document (../asyncapi/asyncapi.json) into
// src/api/live.d.ts: one type per payload schema (by its title), one union per channel, and LiveStreams mapping each
// channel's address to its union.
import { readFile, writeFile } from 'node:fs/promises';
import { compile } from 'json-schema-to-typescript';

const [input, output] = process.argv.slice(2);
const document = JSON.parse(await readFile(input, 'utf8'));

const resolve = (node) => (node.$ref ? resolve(pointer(node.$ref)) : node);
const pointer = (ref) => ref.slice(2).split('/').reduce((node, key) => node[key.replaceAll('~1', '/').replaceAll('~0', '~')], document);
const capitalised = (name) => name[0].toUpperCase() + name.slice(1);

const definitions = {};
const properties = {};
for (const [name, channel] of Object.entries(document.channels)) {
  const union = `${capitalised(name)}StreamMessage`;
  definitions[union] = {
    title: union,
    description: `What ${channel.address} sends.`,
    oneOf: Object.values(channel.messages).map((message) => resolve(message).payload),
  };
  properties[channel.address] = { $ref: `#/definitions/${union}` };
}

const schema = {
  title: 'LiveStreams',
  description: 'Each live stream, by address, and the messages it sends.',
  type: 'object',
  additionalProperties: false,
  required: Object.keys(properties),
  properties,
  definitions,
  components: { schemas: document.components.schemas },
};

const banner = `/* Generated from ${input} by scripts/gen-live.mjs: do not edit. */`;
await writeFile(output, await compile(schema, 'LiveStreams', { bannerComment: banner, additionalProperties: false }));
