// The waiting room (issue 18) in real Chromium against the real stack (see shop.e2e.mjs): the expiry-worker that
// BrowserE2ETest starts keeps the queues (the draw, admissions, lapses, the close) every 250 ms, so every state here is
// the real one. Join before the sale, the draw, admission with its countdown, reserve; people ahead and a sell-out;
// a lapse; keyboard only; axe-core; phones without sideways scroll; screenshots beside the others.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, axeViolations, BASE_URL, card, launch, newProduct, shopper as open, shot } from './support.mjs';

const DESKTOP = { width: 1400, height: 900 };
const PHONE = { width: 390, height: 844 };
const run = Date.now() % 1e5;
let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** A page whose /ws/shopper is cut (closed at every attempt): its place is read every few seconds instead. */
const withoutShopperStream = (viewport) => open(browser, viewport, {
  waitLive: false,
  prepare: (p) => p.routeWebSocket('**/ws/shopper', (ws) => ws.close()),
});

const sideways = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** Buttons whose label wraps onto a second line or is cut off. */
const wrappedLabels = (page) => page.evaluate(() => [...document.querySelectorAll('button')].filter((b) => b.offsetParent !== null).filter((b) => {
  const range = document.createRange();
  range.selectNodeContents(b);
  const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
  return tops.size > 1 || b.scrollWidth > b.clientWidth + 1;
}).map((b) => b.textContent));

/** Presses Tab until the focused element matches (checked in the page); fails after max presses. */
async function tabTo(page, matches, arg, max = 800) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate(matches, arg)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail('never reached by Tab');
}
const focusedIsCardButton = (productId) => document.activeElement?.matches(`article[data-product-id="${productId}"] button.reserve`) ?? false;
const focusedIs = (testId) => document.activeElement?.getAttribute('data-testid') === testId;

/** The card's button once the shopper's place (or its absence) is known. */
const cardButtonReady = (page, product) => card(page, product.name).locator('button.reserve[aria-disabled="false"]').waitFor({ timeout: 15_000 });
const headline = (page) => page.getByTestId('room-headline');
const primary = (page) => page.getByTestId('room-primary');

test('join before the sale, the draw, admitted with a countdown and focus on Reserve, reserve (stream down: read every few seconds)', async () => {
  const product = await newProduct(`UX Queue Drop ${run}`, 3, {
    queue: true, saleStartsAt: new Date(Date.now() + 9_000).toISOString(), admissionTtl: 'PT30S',
  });
  // Two more in the draw (three units: everyone is admitted), so the shopper's check of the draw at the end has
  // neighbours to be in order with.
  for (let i = 0; i < 2; i++) {
    const other = (await api('POST', '/api/shoppers')).body;
    assert.equal((await api('POST', `/api/products/${product.id}/queue`, undefined, other.token)).status, 201);
  }
  const page = await withoutShopperStream(DESKTOP);
  const join = card(page, product.name).getByRole('button', { name: 'Join the waiting room' });
  await join.waitFor();
  await card(page, product.name).getByTestId('note').filter({ hasText: 'Sale opens at' }).waitFor();
  await cardButtonReady(page, product);
  await join.click();

  await headline(page).filter({ hasText: "You're in the draw" }).waitFor();
  await page.getByText('Positions are drawn at random when the sale opens').waitFor();
  await page.getByTestId('room-meter').filter({ hasText: /Sale opens in \d:\d\d/ }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'room-heading', 'the room takes focus');
  assert.equal(await primary(page).textContent(), 'Wait for your turn');
  assert.equal(await primary(page).getAttribute('aria-disabled'), 'true');
  assert.deepEqual(await axeViolations(page), [], 'the waiting room, in the draw');
  await shot(page, '40-waiting-room-draw-1400');
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(400); // the closed holds drawer slides from the side to below the screen
  assert.ok(await sideways(page) <= 0, 'the room fits 390 px');
  await shot(page, '40-waiting-room-draw-390');
  await page.setViewportSize(DESKTOP);
  const before = await primary(page).boundingBox();

  await headline(page).filter({ hasText: /You're in — reserve within 0:[0-3]\d/ }).waitFor({ timeout: 30_000 });
  await page.getByTestId('room-countdown').filter({ hasText: /^0:[0-3]\d$/ }).waitFor();
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'room-primary');
  assert.match(await primary(page).textContent(), /^Reserve · \d:\d\d$/);
  assert.deepEqual(await primary(page).boundingBox(), before, 'Reserve is where the waiting button was: nothing moved');
  assert.match(await page.getByTestId('toast').filter({ hasText: "You're in for" }).textContent(), /reserve within/);
  assert.match(await page.getByTestId('hold-announcement').textContent(), /^You're in: reserve UX Queue Drop \d+ within 0:\d\d\.$/);
  assert.deepEqual(await axeViolations(page), [], 'the waiting room, admitted');
  await shot(page, '41-waiting-room-admitted-1400');
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(400); // the closed holds drawer slides from the side to below the screen
  assert.ok(await sideways(page) <= 0, 'the admitted room fits 390 px');
  assert.deepEqual(await wrappedLabels(page), [], 'the admitted room\'s labels at 390 px');
  assert.deepEqual(await axeViolations(page), [], 'the waiting room, admitted, on a phone');
  await shot(page, '41-waiting-room-admitted-390');
  await page.setViewportSize(DESKTOP);

  await page.keyboard.press('Enter');
  await headline(page).filter({ hasText: /Reserved — pay within/ }).waitFor();
  assert.match(await primary(page).textContent(), /^Pay · 0:0\d$/);
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'room-primary', 'focus stays on the button');
  await shot(page, '42-waiting-room-reserved-1400');

  // Pay by keyboard within the hold's 6 s: Enter opens the dialog, Enter submits it, Enter on Done closes it.
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: /^Pay / }).waitFor();
  await page.keyboard.press('Enter');
  await dialog.getByTestId('confirmation').waitFor();
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'hidden' });
  await headline(page).filter({ hasText: "It's yours" }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'room-primary', 'focus back on the room\'s button');
  const me = (await api('GET', `/api/products/${product.id}/queue/me`, undefined, await page.evaluate(() => localStorage.getItem('flashsale.token')))).body;
  assert.equal(me.state, 'RESERVED');

  // The shopper checks their own place against the published draw: their key by the recipe is the one at their place.
  await page.getByRole('button', { name: 'Check my place in the draw' }).click();
  await page.getByTestId('room-draw-result')
    .filter({ hasText: /^Checked: your key from the published seed is the one at place #[1-3] of the draw, in key order\.\s*$/ }).waitFor();
  await shot(page, '48-waiting-room-draw-checked-1400');

  await page.getByRole('link', { name: '← Back to the shop' }).click();
  await card(page, product.name).getByRole('button', { name: 'Turn used' }).waitFor();
  await page.context().close();
});

test('by keyboard on a phone: people ahead with the way through the queue, then sold out before the turn; 390 and 320 fit', async () => {
  const product = await newProduct(`UX Queue Sellout ${run}`, 1, {
    queue: true, saleStartsAt: new Date(Date.now() + 3_000).toISOString(), admissionTtl: 'PT30S',
  });
  await newProduct(`UX Queue Later ${run}`, 5, {
    queue: true, queueOpensAt: new Date(Date.now() + 3_600_000).toISOString(), saleStartsAt: new Date(Date.now() + 7_200_000).toISOString(),
  });
  const others = [];
  for (let i = 0; i < 3; i++) {
    const shopper = (await api('POST', '/api/shoppers')).body;
    assert.equal((await api('POST', `/api/products/${product.id}/queue`, undefined, shopper.token)).status, 201);
    others.push(shopper);
  }
  // After the draw, one of the three is admitted (one unit); whoever joins now queues behind them.
  for (let i = 0; i < 100 && !(await api('GET', `/api/products/${product.id}/queue`)).body.drawnAt; i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  const page = await withoutShopperStream({ width: 320, height: 640 });
  await card(page, `UX Queue Later ${run}`).getByRole('button', { name: /^Join from / }).waitFor();
  await card(page, `UX Queue Later ${run}`).getByTestId('queue-note').filter({ hasText: /^Waiting room opens at / }).waitFor();
  await cardButtonReady(page, product);
  assert.deepEqual(await wrappedLabels(page), [], 'the shop\'s labels at 320 px');
  await page.setViewportSize(PHONE);
  await tabTo(page, focusedIsCardButton, product.id);
  await page.keyboard.press('Enter');

  await page.getByTestId('room-position').filter({ hasText: '#4' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'room-heading');
  assert.equal(await headline(page).textContent(), "You're number 4");
  assert.equal(await page.getByTestId('room-ahead').textContent(), '2');
  assert.equal(await page.getByTestId('room-wait').textContent(), 'about 2 min');
  assert.equal(await page.locator('.room-bar').getAttribute('aria-valuenow'), '33', 'one of the three placed ahead has gone');
  await page.getByTestId('room-meta').filter({ hasText: /waiting\. Places were drawn at .* among 3 with the published seed [0-9a-f]{32}\./ }).waitFor();
  assert.deepEqual(await axeViolations(page), [], 'the waiting room on a phone');
  assert.ok(await sideways(page) <= 0, 'the room fits 390 px');
  await shot(page, '43-waiting-room-waiting-390');
  await page.setViewportSize({ width: 320, height: 640 });
  assert.ok(await sideways(page) <= 0, 'the room fits 320 px');
  assert.deepEqual(await wrappedLabels(page), [], 'the room\'s labels at 320 px');
  await shot(page, '44-waiting-room-waiting-320');
  await page.setViewportSize(PHONE);

  // The admitted one buys the unit: sold out for good, and the queue tells everyone still waiting at once.
  const states = await Promise.all(others.map((o) => api('GET', `/api/products/${product.id}/queue/me`, undefined, o.token)));
  const admitted = others[states.findIndex((s) => s.body.state === 'ADMITTED')];
  assert.ok(admitted, JSON.stringify(states.map((s) => s.body.state)));
  const hold = await api('POST', '/api/reservations', { productId: product.id, quantity: 1 }, admitted.token);
  assert.equal(hold.status, 201, JSON.stringify(hold.body));
  assert.equal((await api('POST', `/api/reservations/${hold.body.id}/complete`, undefined, admitted.token)).status, 200);

  await headline(page).filter({ hasText: 'Sold out before your turn' }).waitFor({ timeout: 20_000 });
  assert.equal(await primary(page).textContent(), 'Back to the shop');
  assert.equal(await page.getByTestId('room-announcement').textContent(), 'Sold out before your turn.');
  await shot(page, '45-waiting-room-sold-out-390');
  await tabTo(page, focusedIs, 'room-primary', 20);
  await page.keyboard.press('Enter');
  await page.waitForFunction(focusedIsCardButton, product.id);
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Sold out', 'back on the card, which says so');
  await page.context().close();
});

test('an admission not used in time lapses; the room and the card say what happened', async () => {
  const product = await newProduct(`UX Queue Lapse ${run}`, 1, { queue: true, admissionTtl: 'PT5S' });
  const page = await withoutShopperStream(DESKTOP);
  await cardButtonReady(page, product);
  await card(page, product.name).getByRole('button', { name: 'Join the waiting room' }).click();
  await headline(page).filter({ hasText: 'Your turn lapsed' }).waitFor({ timeout: 30_000 });
  await page.getByText(/did not reserve within 0:05, so the turn went to the next in line/).waitFor();
  assert.equal(await primary(page).textContent(), 'Back to the shop');
  await shot(page, '46-waiting-room-lapsed-1400');
  await primary(page).click();
  await card(page, product.name).getByRole('button', { name: 'Turn lapsed' }).waitFor();
  // Joining again gives the lapsed place back as it is: nobody trades a lapsed turn for a new one.
  const token = await page.evaluate(() => localStorage.getItem('flashsale.token'));
  assert.equal((await api('POST', `/api/products/${product.id}/queue`, undefined, token)).body.state, 'LAPSED');
  await page.context().close();
});

test('with /ws/shopper up, the admission is pushed: no read of the place needed', async (t) => {
  const contract = await (await fetch(`${BASE_URL}/asyncapi.json`)).json();
  if (!JSON.stringify(contract.channels?.shopper?.messages ?? {}).includes('queue')) {
    t.skip('the AsyncAPI document has no queue message on /ws/shopper yet');
    return;
  }
  const product = await newProduct(`UX Queue Pushed ${run}`, 2, {
    queue: true, saleStartsAt: new Date(Date.now() + 6_000).toISOString(), admissionTtl: 'PT30S',
  });
  const page = await open(browser, PHONE);
  await cardButtonReady(page, product);
  await card(page, product.name).getByRole('button', { name: 'Join the waiting room' }).click();
  await headline(page).filter({ hasText: "You're in the draw" }).waitFor();
  let reads = 0;
  await page.route('**/queue/me', (route) => {
    reads += 1;
    return route.abort();
  });
  await headline(page).filter({ hasText: /You're in — reserve within/ }).waitFor({ timeout: 15_000 });
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'room-primary');
  assert.equal(reads, 0, 'the admission came over the stream');
  await shot(page, '47-waiting-room-admitted-390');
  await page.context().close();
});
