// What the browser tests share: the real stack's address, API calls, fresh products and shoppers, Chromium itself.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

/** axe-core's script, injected into a page to check it. */
export const AXE = createRequire(import.meta.url).resolve('axe-core');
export const BASE_URL = process.env.BASE_URL ?? 'http://localhost:8080';
export const ADMIN_KEY = process.env.ADMIN_KEY ?? 'dev-admin-key-change-me';
const SHOTS = new URL('../test-results/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

export const shot = (page, name) => page.screenshot({ path: `${SHOTS}${name}.png` });

export async function api(method, path, body, token) {
  const response = await fetch(BASE_URL + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

export async function newProduct(name, totalStock, extra = {}) {
  const sku = `E2E-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const created = await api('POST', '/api/admin/products', { sku, name, priceCents: 2500, totalStock, ...extra }, ADMIN_KEY);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body;
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A new shopper's page, once it says "Live" (unless told not to wait: a test that cuts the streams); `url`: through a proxy. */
export async function shopper(browser, viewport = { width: 1280, height: 900 }, { waitLive = true, prepare, url = BASE_URL } = {}) {
  const context = await browser.newContext({ viewport, bypassCSP: true });
  const page = await context.newPage();
  if (prepare) await prepare(page);
  await page.goto(url);
  if (waitLive) await page.getByTestId('live-indicator').filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });
  return page;
}

export const card = (page, name) => page.locator('article', { has: page.getByRole('heading', { name, exact: true }) });

/** Serious and critical axe-core violations on the page as it is now. */
export async function axeViolations(page) {
  await page.addScriptTag({ path: AXE });
  const results = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
