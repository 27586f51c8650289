// The shopper's checkout (issue 32), in real Chromium against the real stack (holds last 6 s here): two products
// reserved, paid as one order from the holds panel, the receipt with its order number, and the order in the history
// of a fresh browser with the same identity.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, axeViolations, BASE_URL, card, launch, newProduct, shopper, shot } from './support.mjs';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

test('two holds paid as one order: the receipt, and the order in history on another device with the same identity', async () => {
  await newProduct('Cart Cap', 5);
  await newProduct('Cart Scarf', 5);
  const page = await shopper(browser);
  await card(page, 'Cart Cap').getByRole('button', { name: /Reserve/ }).click();
  await card(page, 'Cart Scarf').getByRole('button', { name: /Reserve/ }).click();
  await page.getByRole('button', { name: /Your holds/ }).click();
  const cart = page.getByTestId('cart');
  await cart.waitFor({ timeout: 3_000 });
  await cart.getByRole('button', { name: 'Pay all' }).click();
  const dialog = page.getByRole('dialog', { name: 'Pay for 2 holds' });
  await dialog.getByRole('button', { name: /^Pay / }).click();

  const receipt = page.getByTestId('receipt');
  await receipt.waitFor({ timeout: 10_000 });
  const number = (await receipt.getByTestId('order-number').textContent()).replace('#', '');
  assert.match(number, /^\d+$/);
  assert.match(await receipt.textContent(), /Cart Cap/);
  assert.match(await receipt.textContent(), /Cart Scarf/);
  assert.match(await receipt.getByTestId('order-total').textContent(), /50\.00/);
  assert.deepEqual(await axeViolations(page), [], 'the receipt');
  await shot(page, '45-receipt');

  const token = await page.evaluate(() => localStorage.getItem('flashsale.token'));
  const orders = (await api('GET', '/api/orders', undefined, token)).body.items;
  assert.equal(orders.length, 1);
  assert.equal(String(orders[0].number), number);
  assert.equal(orders[0].lines.length, 2);
  await page.context().close();

  // Another device: a fresh browser context that carries the same identity.
  const other = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
  await other.addInitScript((t) => localStorage.setItem('flashsale.token', t), token);
  const phone = await other.newPage();
  await phone.goto(BASE_URL);
  await phone.getByTestId('live-indicator').filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });
  await phone.getByRole('button', { name: /Your holds/ }).click();
  const history = phone.getByRole('list', { name: 'Your orders' });
  await history.locator('li', { hasText: `#${number}` }).waitFor({ timeout: 10_000 });
  await history.getByRole('button', { name: `Receipt of order ${number}` }).click();
  await phone.getByTestId('receipt').getByText('Cart Scarf').waitFor();
  assert.deepEqual(await axeViolations(phone), [], 'the receipt on a phone');
  await shot(phone, '46-receipt-other-device');
  await other.close();
});

test('"Pay" on the card pays that hold; the order of one joins Your orders', async () => {
  await newProduct('Card Pay Pin', 5);
  const page = await shopper(browser);
  const pin = card(page, 'Card Pay Pin');
  await pin.getByRole('button', { name: /Reserve/ }).click();
  await pin.getByRole('button', { name: 'Pay for Card Pay Pin' }).click();
  await page.getByRole('dialog', { name: 'Pay for your hold' }).getByRole('button', { name: /^Pay / }).click();
  await page.getByTestId('confirmation').waitFor({ timeout: 10_000 });
  await page.getByTestId('confirmation').getByRole('button', { name: 'Done' }).click();
  await page.getByRole('button', { name: /Your holds/ }).click();
  await page.getByRole('list', { name: 'Your orders' }).locator('li', { hasText: '1 item' }).waitFor({ timeout: 10_000 });
  await page.context().close();
});

test('"Pay" in the "Reserved" toast opens that hold\'s payment', async () => {
  await newProduct('Toast Pay Tag', 5);
  const page = await shopper(browser);
  await card(page, 'Toast Pay Tag').getByRole('button', { name: /Reserve/ }).click();
  const reserved = page.getByTestId('toast').filter({ hasText: 'Reserved 1 × Toast Pay Tag' });
  await reserved.getByRole('button', { name: 'Pay' }).click();
  await page.getByRole('dialog', { name: 'Pay for your hold' }).getByText('Toast Pay Tag × 1').waitFor();
  await page.context().close();
});

test('a product\'s artwork ships with the page, and its image opens its whole description', async () => {
  const description = 'Embroidered six-panel cap from the collab, adjustable strap, one size.';
  await newProduct('Art Cap', 5, { imageUrl: '/art/collab-cap.svg', description });
  const page = await shopper(browser);
  const art = card(page, 'Art Cap').locator('.card-image img');
  await art.waitFor();
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await art.elementHandle(), { timeout: 10_000 });
  await card(page, 'Art Cap').getByRole('button', { name: 'Details', exact: true }).click();
  const details = page.getByRole('dialog', { name: 'Art Cap' });
  await details.getByText(description).waitFor();
  assert.deepEqual(await axeViolations(page), [], 'the product details');
  await shot(page, '47-product-details');
  await details.getByRole('button', { name: 'Close' }).click();
  await details.waitFor({ state: 'hidden' });
  await page.context().close();
});

test('a turn that comes while the tab is hidden flashes the title with its countdown and raises a notification', async () => {
  const product = await newProduct(`Turn Alert ${Date.now()}`, 1, {
    queue: true, saleStartsAt: new Date(Date.now() + 8_000).toISOString(), admissionTtl: 'PT30S',
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  await context.grantPermissions(['notifications'], { origin: BASE_URL });
  // The page's notifications, recorded as the real ones are made.
  await context.addInitScript(() => {
    window.turnNotifications = [];
    const Real = window.Notification;
    window.Notification = class extends Real {
      constructor(title, options) {
        super(title, options);
        window.turnNotifications.push(title);
      }
    };
  });
  const page = await context.newPage();
  await page.goto(BASE_URL);
  await page.getByTestId('live-indicator').filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });
  await card(page, product.name).locator('button.reserve[aria-disabled="false"]').waitFor({ timeout: 15_000 });
  await card(page, product.name).getByRole('button', { name: 'Join the waiting room' }).click();
  await page.getByTestId('room-headline').filter({ hasText: "You're in the draw" }).waitFor();
  const pageTitle = await page.title();

  const setVisibility = (state) => page.evaluate((s) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => s });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => s === 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);
  await setVisibility('hidden'); // the shopper is in another tab
  await page.waitForFunction(() => /^Your turn · 0:[0-3]\d$/.test(document.title), null, { timeout: 30_000 });
  assert.deepEqual(await page.evaluate(() => window.turnNotifications), [`Your turn · ${product.name}`]);
  await setVisibility('visible');
  await page.waitForFunction((own) => document.title === own, pageTitle, { timeout: 3_000 });
  await page.getByTestId('room-headline').filter({ hasText: /You're in — reserve within/ }).waitFor();
  assert.deepEqual(await axeViolations(page), [], 'the waiting room with its turn');
  await context.close();
});
