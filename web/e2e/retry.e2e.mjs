// Retries that never double a hold (issue 28), in real Chromium against the real stack: a proxy between the page and
// the shop (proxy.mjs) loses the answer of a reserve the shop has committed, or holds it past the page's timeout, or
// answers 503 with Retry-After. The page tries again with the same Idempotency-Key, saying so on the card, and the
// shopper ends with one hold of the quantity asked — the API's holds and the product's books say so.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_KEY, api, card, launch, newProduct, shot, shopper } from './support.mjs';
import { startProxy } from './proxy.mjs';

let browser;
const isReserve = (request) => request.method === 'POST' && request.url === '/api/reservations';
const tokenOf = (page) => page.evaluate(() => localStorage.getItem('flashsale.token'));

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** A promise and the function that settles it: a gate the proxy waits at. */
function gate() {
  let open;
  const opened = new Promise((resolve) => { open = resolve; });
  return { opened, open };
}

/**
 * The shopper's holds of the product and its books, read through the API (not the proxy). The product is read
 * before the holds: a hold still ACTIVE then was active when the product was read (a hold never becomes active
 * again), so the units it holds must be missing from the available stock — with a 6 s hold TTL it may have expired.
 */
async function outcome(productId, token) {
  const product = (await api('GET', `/api/products/${productId}`)).body;
  const figures = (await api('GET', '/api/admin/dashboard', undefined, ADMIN_KEY)).body;
  const row = figures.products.find((p) => p.productId === productId);
  const holds = (await api('GET', '/api/reservations?size=100', undefined, token)).body.items.filter((h) => h.productId === productId);
  assert.equal(row.availableStock + row.held + row.sold, row.totalStock, 'the books balance');
  return { product, holds };
}

/** One hold of `quantity`, the stock short of exactly that while it is active, every attempt with one key. */
async function assertOneHold(page, productId, quantity, reserves) {
  const { product, holds } = await outcome(productId, await tokenOf(page));
  assert.deepEqual(holds.map((h) => h.quantity), [quantity], `one hold of ${quantity}: ${JSON.stringify(holds)}`);
  if (holds[0].status === 'ACTIVE') assert.equal(product.availableStock, product.totalStock - quantity);
  const keys = reserves.map((r) => r.headers['idempotency-key']);
  assert.ok(keys[0], 'the reserve carries an Idempotency-Key');
  assert.deepEqual(keys, keys.map(() => keys[0]), 'every attempt of the press carries the same key');
}

test('the answer of a committed reserve is lost: the page tries again with its key, and the shopper holds 2, not 4', async () => {
  const product = await newProduct('Retry Runner', 10);
  const retried = gate();
  let reserves = 0;
  // The first reserve reaches the shop and is committed, then its connection closes unanswered; the second waits at
  // the proxy until the test has seen the card say so.
  const proxy = await startProxy(process.env.BASE_URL, (request) =>
    !isReserve(request) ? 'forward' : ++reserves === 1 ? 'lose-answer' : { after: retried.opened });
  try {
    const page = await shopper(browser, undefined, { url: proxy.url });
    const runner = card(page, 'Retry Runner');
    await runner.getByRole('button', { name: 'One more' }).click();
    await runner.getByRole('button', { name: /Reserve · / }).click();
    await runner.getByRole('button', { name: /^Trying again…/ }).waitFor({ timeout: 15_000 });
    await shot(page, '50-retry-trying-again');
    retried.open();
    await runner.getByText(/You hold 2/).waitFor();
    await page.getByText(/^Reserved 2 × Retry Runner/).waitFor();
    await shot(page, '51-retry-one-hold');
    const sent = proxy.requests.filter(isReserve);
    assert.equal(sent.length, 2);
    await assertOneHold(page, product.id, 2, sent);
    assert.equal(await page.getByText(/You now hold 4/).count(), 0);
    await page.context().close();
  } finally {
    await proxy.close();
  }
});

test('a reserve answered only after the page\'s timeout is tried again with its key: one hold', async () => {
  const product = await newProduct('Retry Slow Tee', 10);
  let reserves = 0;
  // The first reserve is committed but its answer never reaches the page, which gives up on it after 5 s.
  const proxy = await startProxy(process.env.BASE_URL, (request) =>
    isReserve(request) && ++reserves === 1 ? 'swallow-answer' : 'forward');
  try {
    const page = await shopper(browser, undefined, { url: proxy.url });
    const tee = card(page, 'Retry Slow Tee');
    await tee.getByRole('button', { name: 'One more' }).click();
    await tee.getByRole('button', { name: /Reserve · / }).click();
    await page.getByText(/^Reserved 2 × Retry Slow Tee/).waitFor({ timeout: 15_000 });
    const sent = proxy.requests.filter(isReserve);
    assert.equal(sent.length, 2);
    await assertOneHold(page, product.id, 2, sent);
    await page.context().close();
  } finally {
    await proxy.close();
  }
});

test('a 503 with Retry-After: the page waits as asked, then tries again, and holds 1', async () => {
  const product = await newProduct('Retry Later Cap', 10);
  let reserves = 0;
  const busy = {
    status: 503,
    headers: { 'Content-Type': 'application/problem+json', 'Retry-After': '2' },
    body: { title: 'Overloaded', status: 503, detail: 'Too many reserves are waiting; nothing was taken', code: 'OVERLOADED', retryAfterSeconds: 2 },
  };
  const proxy = await startProxy(process.env.BASE_URL, (request) => (isReserve(request) && ++reserves === 1 ? busy : 'forward'));
  try {
    const page = await shopper(browser, undefined, { url: proxy.url });
    const cap = card(page, 'Retry Later Cap');
    await cap.getByRole('button', { name: /Reserve · / }).click();
    await cap.getByRole('button', { name: /^Trying again…/ }).waitFor({ timeout: 15_000 });
    await cap.getByText(/You hold 1/).waitFor({ timeout: 15_000 });
    const sent = proxy.requests.filter(isReserve);
    assert.equal(sent.length, 2);
    // Not before the 2 s asked (the proxy's clock on both ends; a millisecond's rounding allowed).
    assert.ok(sent[1].at - sent[0].at >= 1_999, `retried ${sent[1].at - sent[0].at} ms after the 503`);
    await assertOneHold(page, product.id, 1, sent);
    assert.equal(await page.getByText('Too many reserves are waiting').count(), 0, 'no error shown for an answer that asked to wait');
    await page.context().close();
  } finally {
    await proxy.close();
  }
});
