// The operator's console (issue 31), in real Chromium against the real stack (BrowserE2ETest: a worker keeps the queues
// every 250 ms): an operator prepares a queued drop, edits it, watches shoppers (driven through the API) get admitted,
// pauses and resumes admissions, restocks and ends the sale, all from the UI, and finds every step in the audit log.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_KEY, api, axeViolations, BASE_URL, launch, shot } from './support.mjs';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** A datetime-local value `ms` from now, in the browser's own time zone. */
const localInput = (page, ms) => page.evaluate((offset) => {
  const d = new Date(Date.now() + offset);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}, ms);

const queueOf = async (id) => (await api('GET', `/api/products/${id}/queue`)).body;

async function until(check, what, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Opens the product's run dialog and confirms one of its actions. */
async function runAction(page, name, choice, confirm, fill) {
  await page.getByRole('button', { name: `Manage ${name}` }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: choice }).click();
  if (fill) await fill(dialog);
  await dialog.getByRole('button', { name: confirm, exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
}

test('an operator prepares, runs and ends a queued drop from the console alone, and the audit log has every step', async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${BASE_URL}/#admin`);
  await page.getByLabel('Admin key').fill(ADMIN_KEY);
  await page.getByRole('button', { name: 'Open' }).click();
  await page.getByTestId('dashboard-status').filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });
  assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('admin')).length), 0,
    'the admin key is never in localStorage');

  // Prepare: a queued drop whose sale opens in 20 s; a queue opening after the sale is refused at its field.
  const name = `Console Drop ${Date.now()}`;
  const sku = `CON-${Date.now()}`;
  await page.getByRole('button', { name: 'New drop' }).click();
  const form = page.getByRole('dialog', { name: 'New drop' });
  await form.getByLabel('SKU').fill(sku);
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Price').fill('25.00');
  await form.getByLabel('Stock').fill('3');
  await form.getByLabel('Sale starts').fill(await localInput(page, 20_000));
  await form.getByLabel('Sell through a waiting room').check();
  await form.getByLabel('Queue opens').fill(await localInput(page, 60_000));
  await form.getByLabel('Admission (seconds)').fill('600');
  await shot(page, '31-console-new-drop');
  await form.getByRole('button', { name: 'Create drop' }).click();
  const refusal = form.locator('#drop-queueOpensAt-error');
  await refusal.waitFor();
  assert.match(await refusal.textContent(), /before saleStartsAt/);
  assert.equal(await form.getByLabel('Queue opens').getAttribute('aria-invalid'), 'true');
  await form.getByLabel('Queue opens').fill('');
  await form.getByRole('button', { name: 'Create drop' }).click();
  await form.waitFor({ state: 'hidden' });

  const product = await until(async () => (await api('GET', '/api/products')).body.find((p) => p.sku === sku), 'the new product');
  assert.equal(product.priceCents, 2500);
  assert.equal(product.queue, true);
  assert.equal(product.admissionTtl, 'PT10M');
  const row = page.locator(`tr[data-product-id="${product.id}"]`);
  await row.getByTestId('state').filter({ hasText: 'queue open' }).waitFor({ timeout: 10_000 });
  const states = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.state));
  const live = (state) => state === 'queue open' || state === 'on sale';
  assert.ok(states.findIndex((s) => !live(s)) === -1 || states.slice(states.findIndex((s) => !live(s))).every((s) => !live(s)),
    `live drops are pinned to the top: ${states.join(', ')}`);

  // Edit the price alone: the schedule stays as it was.
  await page.getByRole('button', { name: `Manage ${name}` }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Edit details' }).click();
  const edit = page.getByRole('dialog', { name: `Edit ${name}` });
  await edit.getByLabel('Price').fill('30.00');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await edit.waitFor({ state: 'hidden' });
  const edited = (await api('GET', `/api/products/${product.id}`)).body;
  assert.equal(edited.priceCents, 3000);
  assert.equal(edited.saleStartsAt, product.saleStartsAt, 'editing the price leaves the schedule alone');
  assert.equal(edited.queueOpensAt, product.queueOpensAt);

  // Shoppers join through the API; the sale opens, the draw runs, three are admitted (three units).
  const shoppers = [];
  for (let i = 0; i < 6; i++) {
    const shopper = (await api('POST', '/api/shoppers')).body;
    assert.equal((await api('POST', `/api/products/${product.id}/queue`, undefined, shopper.token)).status, 201);
    shoppers.push(shopper);
  }
  await row.getByTestId('state').filter({ hasText: 'on sale' }).waitFor({ timeout: 30_000 });
  await row.getByTestId('queue').filter({ hasText: '3 waiting · 3 in' }).waitFor({ timeout: 15_000 });
  await row.getByTestId('queue').filter({ hasText: 'draw' }).waitFor({ timeout: 10_000 });
  await shot(page, '32-console-admitting');

  // Pause, then restock: units are there, yet nobody new is admitted while paused.
  await runAction(page, name, 'Pause admissions…', 'Pause admissions');
  await row.getByTestId('state').filter({ hasText: 'paused' }).waitFor({ timeout: 5_000 });
  assert.equal((await queueOf(product.id)).paused, true);
  await runAction(page, name, 'Restock…', 'Add stock', (dialog) => dialog.getByLabel('Units to add').fill('2'));
  await row.getByTestId('available').filter({ hasText: /^5$/ }).waitFor({ timeout: 5_000 }); // admitted, none reserved yet
  await page.waitForTimeout(2_000); // eight keeper runs
  const paused = await queueOf(product.id);
  assert.equal(paused.admitted, 3, 'nobody new is admitted while paused');
  assert.equal(paused.length, 3);

  await runAction(page, name, 'Resume admissions…', 'Resume admissions');
  await until(async () => (await queueOf(product.id)).admitted === 5, 'two more admitted after the resume');
  await row.getByTestId('queue').filter({ hasText: '1 waiting · 5 in' }).waitFor({ timeout: 5_000 });

  await runAction(page, name, 'Change limit…', 'Change limit', (dialog) => dialog.getByLabel('Limit per shopper (empty: no limit)').fill('2'));
  await until(async () => (await api('GET', `/api/products/${product.id}`)).body.maxPerShopper === 2, 'the new limit');

  await runAction(page, name, 'End sale…', 'End sale');
  await row.getByTestId('state').filter({ hasText: 'ended' }).waitFor({ timeout: 5_000 });
  assert.ok((await api('GET', `/api/products/${product.id}`)).body.saleEndsAt);

  // Every step in the audit panel, newest first.
  const audit = page.getByTestId('audit');
  await audit.locator('li', { hasText: 'Ended the sale' }).filter({ hasText: name }).waitFor({ timeout: 10_000 });
  const steps = await audit.locator('li').evaluateAll((items, productName) => items
    .filter((li) => li.textContent.includes(productName)).map((li) => li.dataset.action), name);
  assert.deepEqual(steps.slice(0, 7), ['END_SALE', 'EDIT', 'RESUME', 'RESTOCK', 'PAUSE', 'EDIT', 'CREATE']);
  await audit.locator('li[data-action="EDIT"]', { hasText: name }).filter({ hasText: 'maxPerShopper: — → 2' }).waitFor();
  await audit.locator('li[data-action="EDIT"]', { hasText: name }).filter({ hasText: 'priceCents: 2500 → 3000' }).waitFor();

  assert.deepEqual(await axeViolations(page), [], 'the console at 1440 px');
  await shot(page, '33-console-1440');
  for (const [width, height, label] of [[768, 1024, '34-console-768'], [390, 844, '35-console-390']]) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(300);
    await shot(page, label);
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(sideways <= 0, `the console fits ${width} px (${sideways}px too wide)`);
    assert.deepEqual(await axeViolations(page), [], `the console at ${width} px`);
  }
  await page.getByRole('button', { name: `Manage ${name}` }).click();
  assert.deepEqual(await axeViolations(page), [], 'the run dialog');
  await shot(page, '36-console-run-dialog-390');
  await context.close();
});

test('a shopper never sees the operator\'s controls', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(BASE_URL);
  await page.getByTestId('live-indicator').filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });
  for (const control of ['New drop', 'Pause admissions…', 'End sale…']) {
    assert.equal(await page.getByRole('button', { name: control }).count(), 0, control);
  }
  await page.goto(`${BASE_URL}/#admin`);
  await page.getByLabel('Admin key').waitFor();
  assert.equal(await page.getByRole('button', { name: 'New drop' }).count(), 0, 'not before the admin key');
  await context.close();
});
