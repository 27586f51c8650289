// End-to-end in real Chromium (Debian's /usr/bin/chromium, driven by playwright-core) against the real stack:
// inventory-service and expiry-worker as processes on a real PostgreSQL, started by system-tests (BrowserE2ETest),
// which passes BASE_URL and ADMIN_KEY. The hold TTL is short (HOLD_TTL_SECONDS) so a hold expires on screen.
// Screenshots of each step go to web/test-results/ (git-ignored).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_KEY, BASE_URL, api, card, launch, newProduct, shot, shopper as open } from './support.mjs';

let browser;
const shopper = (viewport) => open(browser, viewport);

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

test('a reserve in one browser lowers the stock shown in another, without a reload', async () => {
  const product = await newProduct('Live Lamp', 20);
  const alice = await shopper();
  const bob = await shopper();
  await card(bob, 'Live Lamp').getByTestId('stock').filter({ hasText: '20 of 20 left' }).waitFor();

  await card(alice, 'Live Lamp').getByRole('button', { name: /Reserve/ }).click();
  await card(bob, 'Live Lamp').getByTestId('stock').filter({ hasText: '19 of 20 left' }).waitFor({ timeout: 10_000 });
  await shot(alice, '01-alice-reserved');
  await shot(bob, '02-bob-sees-stock-drop');
  assert.ok(product.id);
  await alice.context().close();
  await bob.context().close();
});

test('the countdown shows and survives a reload; pay completes the hold', async () => {
  await newProduct('Countdown Cap', 5);
  const page = await shopper();
  await card(page, 'Countdown Cap').getByRole('button', { name: /Reserve/ }).click();
  await page.getByRole('button', { name: /Your holds/ }).click();
  const row = page.locator('.hold', { hasText: 'Countdown Cap' });
  const countdown = row.getByTestId('countdown');
  await countdown.waitFor();
  assert.match(await countdown.textContent(), /^\d:\d\d$/);
  await shot(page, '03-countdown');

  await page.reload();
  await page.getByRole('button', { name: /Your holds/ }).click();
  await page.locator('.hold', { hasText: 'Countdown Cap' }).getByTestId('countdown').waitFor();
  await shot(page, '04-countdown-after-reload');

  await page.locator('.hold', { hasText: 'Countdown Cap' }).getByRole('button', { name: 'Pay' }).click();
  await page.getByRole('dialog').getByRole('button', { name: /Pay/ }).click();
  await page.getByText(/Paid .* enjoy your Countdown Cap/).waitFor();
  await page.locator('.history li', { hasText: 'Countdown Cap' }).getByText('Paid').waitFor();
  await shot(page, '05-paid');
  await page.keyboard.press('Escape');
  await page.getByTestId('activity').locator('li', { hasText: 'bought 1 × Countdown Cap' }).waitFor();
  await shot(page, '05b-activity-feed');
  await page.context().close();
});

test('release gives the stock back', async () => {
  await newProduct('Release Ring', 3);
  const page = await shopper();
  await card(page, 'Release Ring').getByRole('button', { name: /Reserve/ }).click();
  await card(page, 'Release Ring').getByTestId('stock').filter({ hasText: '2 of 3 left' }).waitFor();
  await page.getByRole('button', { name: /Your holds/ }).click();
  await page.locator('.hold', { hasText: 'Release Ring' }).getByRole('button', { name: 'Release' }).click();
  await card(page, 'Release Ring').getByTestId('stock').filter({ hasText: '3 of 3 left' }).waitFor();
  await page.locator('.history li', { hasText: 'Release Ring' }).getByText('Released').waitFor();
  await shot(page, '06-released');
  await page.context().close();
});

test('a hold expires on screen and its stock comes back', async () => {
  await newProduct('Expiring Echo', 4);
  const page = await shopper();
  await card(page, 'Expiring Echo').getByRole('button', { name: /Reserve/ }).click();
  await card(page, 'Expiring Echo').getByTestId('stock').filter({ hasText: '3 of 4 left' }).waitFor();
  await page.getByRole('button', { name: /Your holds/ }).click();
  await page.waitForTimeout(400);
  await shot(page, '07-before-expiry');
  await page.getByText('Your hold on Expiring Echo expired — the stock went back').waitFor({ timeout: 30_000 });
  await card(page, 'Expiring Echo').getByTestId('stock').filter({ hasText: '4 of 4 left' }).waitFor();
  await page.locator('.history li', { hasText: 'Expiring Echo' }).getByText('Expired').waitFor();
  await shot(page, '08-expired');
  await page.context().close();
});

test('sold out shows the server\'s message', async () => {
  await newProduct('Last Unit', 1);
  const page = await shopper();
  // This page's stock stream stays silent, so it still shows the unit another shopper is about to take.
  await page.routeWebSocket('**/ws/stock', () => {});
  await page.reload();
  await card(page, 'Last Unit').getByTestId('stock').filter({ hasText: '1 of 1 left' }).waitFor();
  const other = await api('POST', '/api/shoppers');
  const products = (await api('GET', '/api/products')).body;
  const lastUnit = products.find((p) => p.name === 'Last Unit');
  assert.equal((await api('POST', '/api/reservations', { productId: lastUnit.id, quantity: 1 }, other.body.token)).status, 201);

  await card(page, 'Last Unit').getByRole('button', { name: /Reserve/ }).click();
  // The refusal's availableStock updates the card at once, with the stream still silent; the toast names the product.
  await page.getByRole('alert').getByText('Last Unit just sold out.').waitFor();
  await card(page, 'Last Unit').getByTestId('stock').filter({ hasText: 'Sold out' }).waitFor();
  assert.equal(await card(page, 'Last Unit').getByRole('button', { name: 'Sold out' }).isDisabled(), true);
  await shot(page, '09-sold-out-message');

  const fresh = await shopper();
  await card(fresh, 'Last Unit').getByRole('button', { name: 'Sold out' }).waitFor();
  assert.equal(await card(fresh, 'Last Unit').getByRole('button', { name: 'Sold out' }).isDisabled(), true);
  await shot(fresh, '10-sold-out-card');
  await page.context().close();
  await fresh.context().close();
});

test('on a phone, by keyboard alone: reserve, then the holds open as a bottom sheet', async () => {
  await newProduct('Pocket Phone', 6);
  const page = await shopper({ width: 390, height: 844 });
  const reserve = card(page, 'Pocket Phone').getByRole('button', { name: /Reserve/ });
  await reserve.click({ trial: true }); // waits until it is enabled, without clicking
  await reserve.focus();
  await page.keyboard.press('Enter');
  await card(page, 'Pocket Phone').getByText(/You hold 1/).waitFor();
  await page.getByRole('button', { name: /Your holds/ }).focus();
  await page.keyboard.press('Enter');
  const sheet = page.getByRole('complementary', { name: 'Your holds' });
  await sheet.locator('.hold', { hasText: 'Pocket Phone' }).waitFor();
  const box = await sheet.boundingBox();
  assert.ok(box && box.y > 0 && Math.round(box.width) === 390, 'a bottom sheet across the phone');
  await page.waitForTimeout(400); // let the sheet finish sliding in
  await shot(page, '11-phone-bottom-sheet');
  await sheet.locator('.hold', { hasText: 'Pocket Phone' }).getByRole('button', { name: 'Pay' }).click();
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'hidden' });
  await page.context().close();
});

test('a sale that opens soon counts down and opens its button at the server\'s time; a limit shows', async () => {
  const opensAt = new Date(Date.now() + 5_000).toISOString();
  await newProduct('Midnight Drop', 10, { saleStartsAt: opensAt, maxPerShopper: 1 });
  const page = await shopper();
  const button = card(page, 'Midnight Drop').getByRole('button', { name: /Opens in/ });
  await button.waitFor();
  assert.equal(await button.isDisabled(), true);
  await card(page, 'Midnight Drop').getByTestId('limit').filter({ hasText: 'Limit 1 per shopper' }).waitFor();
  await shot(page, '12-sale-countdown');

  const open = card(page, 'Midnight Drop').getByRole('button', { name: /Reserve/ });
  await open.waitFor({ timeout: 15_000 });
  await open.click();
  await card(page, 'Midnight Drop').getByText(/You hold 1/).waitFor();
  await card(page, 'Midnight Drop').getByRole('button', { name: 'Limit reached' }).waitFor();
  await shot(page, '13-sale-open-limit-reached');
  await page.context().close();
});

test('the operator dashboard asks for the admin key, then shows each product\'s books live', async () => {
  const product = await newProduct('Dashboard Dial', 8);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${BASE_URL}/#admin`);
  await page.getByLabel('Admin key').fill('not-the-key');
  await page.getByRole('button', { name: 'Open' }).click();
  await page.getByRole('alert').getByText('That is not the admin key.').waitFor();
  await page.getByLabel('Admin key').fill(ADMIN_KEY);
  await page.getByRole('button', { name: 'Open' }).click();
  await page.getByTestId('dashboard-status').filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });
  const row = page.locator(`tr[data-product-id="${product.id}"]`);
  await row.getByTestId('available').filter({ hasText: /^8$/ }).waitFor();

  const buyer = (await api('POST', '/api/shoppers')).body;
  const hold = await api('POST', '/api/reservations', { productId: product.id, quantity: 3 }, buyer.token);
  assert.equal(hold.status, 201);
  assert.equal((await api('POST', `/api/reservations/${hold.body.id}/complete`, undefined, buyer.token)).status, 200);
  await api('POST', '/api/reservations', { productId: product.id, quantity: 2 }, (await api('POST', '/api/shoppers')).body.token);

  await row.getByTestId('held').filter({ hasText: /^2$/ }).waitFor({ timeout: 10_000 });
  await row.getByTestId('sold').filter({ hasText: /^3$/ }).waitFor();
  await row.getByTestId('available').filter({ hasText: /^3$/ }).waitFor();
  await page.waitForTimeout(2_500); // a few ticks, so the small charts have a line
  await shot(page, '14-operator-dashboard');
  await context.close();
});
