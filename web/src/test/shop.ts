/// <reference types="node" />
// The hooks' tests talk to a shop over real HTTP and real WebSockets: a server on 127.0.0.1 that answers what each
// test tells it to, and pushes the messages the test sends. The page's document (jsdom) is moved to that server's
// origin, so the page's relative fetches and its ws:// URLs reach it as they reach inventory-service in a browser
// (the WebSocket client is ws's: jsdom's cannot deliver its events).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { vi } from 'vitest';
import { WebSocket as WsClient, WebSocketServer, type WebSocket } from 'ws';

export interface Answer {
  status?: number;
  body?: unknown;
  /** Headers to answer with (e.g. Retry-After). */
  headers?: Record<string, string>;
  /** Close the connection without answering: to the page, the shop could not be reached (or its answer was lost). */
  hangUp?: boolean;
}

export interface Request {
  method: string;
  path: string;
  authorization: string | undefined;
  idempotencyKey: string | undefined;
  /** The JSON body sent, if any. */
  body?: unknown;
}

export interface Shop {
  /** Answers `METHOD /path` (the query ignored) with this, or with what the function returns for each request. */
  answer(route: string, answer: Answer | ((request: Request) => Answer | Promise<Answer>)): void;
  /** Every request received, in order. */
  readonly requests: Request[];
  /** Requests to one route received so far. */
  count(route: string): number;
  /** The stream connections open now on a path, with the bearer token each carried. */
  watchers(path: string): { token: string | null }[];
  /** Sends a JSON message to every open connection of a path. */
  push(path: string, message: unknown): void;
  /** Closes every open connection of a path (the client sees its stream drop). */
  drop(path: string): void;
  /** While refused, upgrades of this path are answered 503 (as at the watcher cap). */
  refuse(path: string, refused: boolean): void;
  stop(): Promise<void>;
}

declare global {
  // vitest's jsdom environment exposes the JSDOM instance.
  var jsdom: { reconfigure(options: { url: string }): void };
}

/** ws's client as a browser's behaves: a failed connection fires close (after error), never an uncaught error. */
class BrowserWebSocket extends WsClient {
  constructor(url: string, protocols?: string[]) {
    super(url, protocols);
    this.on('error', () => {});
  }
}

const routeOf = (method: string, url: string) => `${method} ${url.split('?')[0]}`;

/** Starts a shop on a free port and points the document (location, fetch, WebSocket) at it. */
export async function startShop(): Promise<Shop> {
  const answers = new Map<string, Answer | ((request: Request) => Answer | Promise<Answer>)>();
  const requests: Request[] = [];
  const sockets = new Map<string, Set<{ socket: WebSocket; token: string | null }>>();
  const refused = new Set<string>();

  const server: Server = createServer(async (req: IncomingMessage, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    const request: Request = {
      method: req.method ?? 'GET', path: req.url ?? '/', authorization: req.headers.authorization,
      idempotencyKey: req.headers['idempotency-key'] as string | undefined,
    };
    if (text) request.body = JSON.parse(text);
    requests.push(request);
    const found = answers.get(routeOf(request.method, request.path));
    const answer = typeof found === 'function' ? await found(request) : found;
    if (answer?.hangUp) {
      req.socket.destroy();
      return;
    }
    const status = answer?.status ?? (answer ? 200 : 404);
    const body = answer ? answer.body : { title: 'Not found', status: 404, detail: `no answer for ${request.path}` };
    res.writeHead(status, { 'Content-Type': status < 400 ? 'application/json' : 'application/problem+json', ...answer?.headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  });
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has('bearer-token-carrier') ? 'bearer-token-carrier' : false),
  });
  server.on('upgrade', (req, socket, head) => {
    const path = req.url ?? '/';
    if (refused.has(path)) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const carried = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => decodeURIComponent(p.trim()));
      const bearer = carried.find((p) => p.startsWith('quarkus-http-upgrade#Authorization#Bearer '));
      const entry = { socket: ws, token: bearer ? bearer.slice('quarkus-http-upgrade#Authorization#Bearer '.length) : null };
      const open = sockets.get(path) ?? new Set();
      sockets.set(path, open.add(entry));
      ws.on('close', () => open.delete(entry));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  globalThis.jsdom.reconfigure({ url: origin });
  const nodeFetch = globalThis.fetch;
  // A browser resolves a relative URL against the document; Node's fetch does not.
  vi.stubGlobal('fetch', (input: string, init?: RequestInit) => nodeFetch(new URL(input, location.href), init));
  // jsdom's WebSocket (undici's) cannot fire its events into jsdom's Event; ws's client speaks the same protocol.
  vi.stubGlobal('WebSocket', BrowserWebSocket);

  const open = (path: string) => [...(sockets.get(path) ?? [])].filter((s) => s.socket.readyState === s.socket.OPEN);
  return {
    answer: (route, answer) => void answers.set(route, answer),
    requests,
    count: (route) => requests.filter((r) => routeOf(r.method, r.path) === route).length,
    watchers: (path) => open(path).map(({ token }) => ({ token })),
    push: (path, message) => open(path).forEach(({ socket }) => socket.send(JSON.stringify(message))),
    drop: (path) => open(path).forEach(({ socket }) => socket.terminate()),
    refuse: (path, on) => void (on ? refused.add(path) : refused.delete(path)),
    stop: async () => {
      vi.unstubAllGlobals();
      for (const open of sockets.values()) open.forEach(({ socket }) => socket.terminate());
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
