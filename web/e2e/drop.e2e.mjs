// The shopper's page in a busy drop (issue 19), in real Chromium against the real stack (see shop.e2e.mjs): truth
// after refusals and with the streams down, the failed and empty catalogue, labels on one line, toasts clear of the
// controls, focus, axe-core, layout that holds still, and how the assets are served.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_KEY, api, axeViolations, BASE_URL, card, launch, newProduct, shopper as open, shot } from './support.mjs';

const PHONE = { width: 390, height: 844 };
let browser;
const shopper = (viewport, options) => open(browser, viewport, options);
const tokenOf = (page) => page.evaluate(() => localStorage.getItem('flashsale.token'));

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** Where a control sits in its card (px from the card's top). */
const offsetInCard = (locator) => locator.evaluate((el) => el.getBoundingClientRect().top - el.closest('article').getBoundingClientRect().top);

/** Buttons whose label wraps onto a second line or is cut off. */
function wrappedLabels(page) {
  return page.evaluate(() => [...document.querySelectorAll('button')].filter((b) => b.offsetParent !== null).filter((b) => {
    const range = document.createRange();
    range.selectNodeContents(b);
    const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
    return tops.size > 1 || b.scrollWidth > b.clientWidth + 1;
  }).map((b) => `${b.textContent} (${b.getBoundingClientRect().width}px)`));
}

test('a refusal updates the card at once, with the live stream dropped: sold out and the limit per shopper', async () => {
  await newProduct('UX Last One', 1);
  await newProduct('UX Limited', 10, { maxPerShopper: 2 });
  const page = await shopper(undefined, {
    waitLive: false,
    prepare: async (p) => {
      await p.routeWebSocket('**/ws/stock', () => {});
      await p.routeWebSocket('**/ws/shopper', () => {});
    },
  });
  await card(page, 'UX Last One').getByTestId('stock').filter({ hasText: '1 of 1 left' }).waitFor();
  const products = (await api('GET', '/api/products')).body;
  const lastOne = products.find((p) => p.name === 'UX Last One');
  const limited = products.find((p) => p.name === 'UX Limited');
  const other = (await api('POST', '/api/shoppers')).body;
  assert.equal((await api('POST', '/api/reservations', { productId: lastOne.id, quantity: 1 }, other.token)).status, 201);

  await card(page, 'UX Last One').getByRole('button', { name: /Reserve/ }).click();
  await page.getByRole('alert').getByText('UX Last One just sold out.').waitFor();
  await card(page, 'UX Last One').getByTestId('stock').filter({ hasText: 'Sold out' }).waitFor();
  assert.equal(await card(page, 'UX Last One').getByRole('button', { name: 'Sold out' }).isDisabled(), true);
  await shot(page, '15-refusal-sold-out');

  // The same shopper takes one unit elsewhere (another tab): this page still thinks 2 are left for it.
  assert.equal((await api('POST', '/api/reservations', { productId: limited.id, quantity: 1 }, await tokenOf(page))).status, 201);
  const limitedCard = card(page, 'UX Limited');
  await limitedCard.getByRole('button', { name: 'One more' }).click();
  await limitedCard.getByRole('button', { name: /Reserve · / }).click();
  await page.getByRole('alert').getByText('You may reserve 1 more of UX Limited.').waitFor();
  await limitedCard.getByTestId('limit').filter({ hasText: '1 more for you' }).waitFor();
  await shot(page, '16-refusal-limit');
  await page.context().close();
});

test('after reserve and release the figures come from the server, with the stock stream down', async () => {
  await newProduct('UX Stream Down', 5);
  const page = await shopper(undefined, { waitLive: false, prepare: (p) => p.routeWebSocket('**/ws/stock', () => {}) });
  const figure = card(page, 'UX Stream Down').getByTestId('stock');
  await figure.filter({ hasText: '5 of 5 left' }).waitFor();
  const product = (await api('GET', '/api/products')).body.find((p) => p.name === 'UX Stream Down');
  const other = (await api('POST', '/api/shoppers')).body;
  assert.equal((await api('POST', '/api/reservations', { productId: product.id, quantity: 2 }, other.token)).status, 201);

  await card(page, 'UX Stream Down').getByRole('button', { name: /Reserve/ }).click();
  await figure.filter({ hasText: '2 of 5 left' }).waitFor(); // 5 − 2 (the other shopper) − 1 (mine)
  assert.notEqual(await page.getByTestId('live-indicator').textContent(), 'Live');
  await page.getByRole('button', { name: /Your holds/ }).click();
  await page.locator('.hold', { hasText: 'UX Stream Down' }).getByRole('button', { name: 'Release' }).click();
  await figure.filter({ hasText: '3 of 5 left' }).waitFor();
  await shot(page, '17-figures-with-stream-down');
  await page.context().close();
});

test('"Live" only once the snapshot is applied; offline the grid is inactive, Reserve says Offline, one toast', async () => {
  await newProduct('UX Offline', 5);
  let release;
  const snapshotHeld = new Promise((resolve) => { release = resolve; });
  const page = await shopper(undefined, {
    waitLive: false,
    prepare: (p) => p.routeWebSocket('**/ws/stock', (ws) => {
      const server = ws.connectToServer();
      server.onMessage(async (message) => {
        if (String(message).includes('"snapshot"')) await snapshotHeld;
        ws.send(message);
      });
    }),
  });
  await card(page, 'UX Offline').getByTestId('stock').waitFor();
  await page.waitForTimeout(1_000);
  assert.notEqual(await page.getByTestId('live-indicator').textContent(), 'Live', 'no "Live" before the snapshot');
  release();
  await page.getByTestId('live-indicator').filter({ hasText: 'Live' }).waitFor({ timeout: 10_000 });

  await page.context().setOffline(true);
  await page.getByTestId('live-indicator').filter({ hasText: 'Offline' }).waitFor();
  const reserve = card(page, 'UX Offline').getByRole('button', { name: 'Offline' });
  assert.equal(await reserve.isDisabled(), true);
  await reserve.click({ force: true });
  await reserve.click({ force: true });
  assert.equal(await page.getByTestId('toast').filter({ hasText: 'offline' }).count(), 1);
  await shot(page, '18-offline');
  await page.context().setOffline(false);
  await page.getByTestId('live-indicator').filter({ hasText: 'Live' }).waitFor({ timeout: 20_000 });
  assert.equal(await page.getByTestId('toast').filter({ hasText: 'offline' }).count(), 0);
  await page.context().close();
});

test('a failing catalogue says so and retries by itself; an empty one says nothing is on sale', async () => {
  let failing = true;
  let requests = 0;
  const page = await shopper(undefined, {
    waitLive: false,
    prepare: (p) => p.route('**/api/products', (route) => {
      requests += 1;
      return failing
        ? route.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify({ title: 'Service Unavailable', status: 503 }) })
        : route.continue();
    }),
  });
  await page.getByTestId('catalogue-failed').getByText("Couldn't load the drop").waitFor();
  assert.notEqual(await page.getByTestId('live-indicator').textContent(), 'Live');
  assert.equal(await page.getByRole('alert').getByTestId('toast').count(), 0, 'no red toasts for a failed load');
  await shot(page, '19-catalogue-failed');
  const seen = requests;
  await page.waitForTimeout(3_500);
  assert.ok(requests > seen, 'it retries by itself');
  failing = false;
  await page.getByRole('button', { name: 'Retry' }).click();
  await page.locator('article').first().waitFor({ timeout: 10_000 });
  await page.getByTestId('live-indicator').filter({ hasText: 'Live' }).waitFor({ timeout: 10_000 });
  await page.context().close();

  const empty = await shopper(undefined, {
    waitLive: false,
    prepare: async (p) => {
      await p.route('**/api/products', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '[]' }));
      await p.routeWebSocket('**/ws/stock', () => {});
    },
  });
  await empty.getByTestId('catalogue-empty').getByText('Nothing on sale yet').waitFor();
  await shot(empty, '20-catalogue-empty');
  await empty.context().close();
});

test('every button label stays on one line at 1400, 1024, 820, 390 and 320 wide', async () => {
  await newProduct('UX Collab Cap With A Long Name', 30);
  await newProduct('UX Soon', 10, { saleStartsAt: new Date(Date.now() + 3_600_000).toISOString(), maxPerShopper: 2 });
  for (const width of [1400, 1024, 820, 390, 320]) {
    const page = await shopper({ width, height: 900 });
    const cap = card(page, 'UX Collab Cap With A Long Name');
    await cap.getByRole('button', { name: /Reserve/ }).click();
    await cap.getByRole('button', { name: /Add 1 · timer resets to/ }).waitFor();
    assert.deepEqual(await wrappedLabels(page), [`at ${width} px`].slice(1), `labels wrap at ${width} px`);
    const box = await page.locator('header.top').boundingBox();
    assert.ok(box.height < 70, `the header is one line at ${width} px (${box.height}px)`);
    await shot(page, `21-labels-${width}`);
    await page.context().close();
  }
});

test('adding to a hold says so; the row holds still when a sale opens and when a hold appears', async () => {
  await newProduct('UX Collab Cap', 10);
  await newProduct('UX Opening', 10, { saleStartsAt: new Date(Date.now() + 6_000).toISOString() });
  const page = await shopper();
  const cap = card(page, 'UX Collab Cap');
  const reserve = cap.getByRole('button', { name: /Reserve/ });
  const before = await offsetInCard(reserve);
  await reserve.click();
  const add = cap.getByRole('button', { name: /Add 1 · timer resets to/ });
  await add.waitFor();
  assert.equal(await offsetInCard(add), before, 'the button does not move when "You hold" appears');
  await add.click();
  await page.getByText(/You now hold 2 × UX Collab Cap — timer reset to/).waitFor();
  await cap.getByText(/You hold 2/).waitFor();
  await shot(page, '22-added-to-hold');

  const opening = card(page, 'UX Opening');
  const closed = await offsetInCard(opening.getByRole('button', { name: /Opens in/ }));
  await opening.getByRole('button', { name: /Reserve/ }).waitFor({ timeout: 15_000 });
  assert.equal(await offsetInCard(opening.getByRole('button', { name: /Reserve/ })), closed, 'nothing moves when the sale opens');
  await page.context().close();
});

/**
 * Every visible toast that overlaps a visible control (button, link, field), as "toast × control". A box counts only
 * where it is seen: clipped by the viewport and by every ancestor that clips (a scrolled-away card, a closed sheet).
 */
function toastsOverControls(page) {
  return page.evaluate(() => {
    const seen = (el) => {
      if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return null;
      let { left, top, right, bottom } = el.getBoundingClientRect();
      [left, top, right, bottom] = [Math.max(left, 0), Math.max(top, 0), Math.min(right, innerWidth), Math.min(bottom, innerHeight)];
      for (let a = el.parentElement; a; a = a.parentElement) {
        if (getComputedStyle(a).overflow === 'visible') continue;
        const c = a.getBoundingClientRect();
        [left, top, right, bottom] = [Math.max(left, c.left), Math.max(top, c.top), Math.min(right, c.right), Math.min(bottom, c.bottom)];
      }
      return right > left && bottom > top ? { left, top, right, bottom } : null;
    };
    const toasts = [...document.querySelectorAll('[data-testid="toast"]')].map((t) => [t, seen(t)]).filter(([, r]) => r);
    const controls = [...document.querySelectorAll('button, a[href], input, select, textarea')]
      .filter((c) => !c.closest('[data-testid="toast"], [inert]')).map((c) => [c, seen(c)]).filter(([, r]) => r);
    const hits = [];
    for (const [t, a] of toasts) {
      for (const [c, b] of controls) {
        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {
          hits.push(`"${t.textContent.trim()}" × ${c.tagName.toLowerCase()} "${(c.textContent || c.getAttribute('aria-label') || '').trim()}"`);
        }
      }
    }
    return { shown: toasts.length, hits };
  });
}

/** How a toast looks: its colours and its edge. */
const lookOf = (toast) => toast.evaluate((t) => {
  const s = getComputedStyle(t);
  return `${s.backgroundColor} ${s.color} ${s.borderLeftColor} ${s.borderLeftWidth} ${t.querySelector('.toast-icon')?.textContent}`;
});

test('no toast ever covers a control — phones and desktop, holds sheet closed and open, errors and successes', async () => {
  for (const viewport of [PHONE, { width: 320, height: 640 }, { width: 1400, height: 900 }]) {
    const at = `${viewport.width}x${viewport.height}`;
    const run = Date.now() % 1e5; // the database outlives one run of the suite
    const one = await newProduct(`UX Cover One ${at} ${run}`, 20);
    const two = await newProduct(`UX Cover Two ${at} ${run}`, 20);
    const gone = await newProduct(`UX Cover Gone ${at} ${run}`, 1);
    // This page does not hear that the last unit of "Gone" went, so its Reserve is refused: an error toast.
    const page = await shopper(viewport, {
      prepare: (p) => p.routeWebSocket('**/ws/stock', (ws) => {
        const server = ws.connectToServer();
        server.onMessage((message) => {
          if (String(message).includes('"snapshot"') || !String(message).includes(gone.id)) ws.send(message);
        });
      }),
    });
    await card(page, gone.name).getByTestId('stock').filter({ hasText: '1 of 1 left' }).waitFor();
    const other = (await api('POST', '/api/shoppers')).body;
    assert.equal((await api('POST', '/api/reservations', { productId: gone.id, quantity: 1 }, other.token)).status, 201);

    const reserveOf = (product) => card(page, product.name).getByRole('button', { name: /Reserve|Add 1/ });
    // What is under the pointer, and a card beside it, stay where they are when the first toast comes.
    await reserveOf(gone).scrollIntoViewIfNeeded();
    const boxes = () => Promise.all([gone, two].map((p) => card(page, p.name).locator('button.reserve').boundingBox()));
    const before = await boxes();
    await reserveOf(gone).click();
    await page.getByRole('alert').getByText(`${gone.name} just sold out.`).waitFor();
    assert.deepEqual(await boxes(), before, `nothing moves when a toast appears (${at})`);
    await reserveOf(one).click();
    await page.getByTestId('toast').filter({ hasText: `Reserved 1 × ${one.name}` }).waitFor();
    await reserveOf(two).click();
    await page.getByTestId('toast').filter({ hasText: `Reserved 1 × ${two.name}` }).waitFor();
    const error = page.getByTestId('toast').filter({ hasText: 'just sold out' });
    const reserved = page.getByTestId('toast').filter({ hasText: `Reserved 1 × ${two.name}` });
    assert.notEqual(await lookOf(error), await lookOf(reserved), `an error looks unlike a success (${at})`);
    // The page everywhere, top to bottom, with the toasts showing.
    for (const block of ['start', 'center', 'end']) {
      await card(page, gone.name).evaluate((el, b) => el.scrollIntoView({ block: b }), block);
      const { shown, hits } = await toastsOverControls(page);
      assert.ok(shown >= (viewport.width >= 1200 ? 3 : 1), `toasts are showing (${shown}, ${at})`);
      assert.deepEqual(hits, [], `sheet closed, card at the ${block}, ${at}`);
    }
    await shot(page, `26-toasts-clear-${viewport.width}-sheet-closed`);

    // Holds last 6 s in the browser suite: adding one to each resets their timers before the sheet opens.
    await reserveOf(one).click();
    await reserveOf(two).click();
    await page.getByTestId('toast').filter({ hasText: `You now hold 2 × ${two.name}` }).waitFor();
    await page.getByRole('button', { name: /Your holds/ }).click();
    const sheet = page.getByRole('complementary', { name: 'Your holds' });
    await page.waitForTimeout(400); // the sheet slides in
    assert.deepEqual((await toastsOverControls(page)).hits, [], `sheet open, ${at}`);
    await sheet.locator('.hold', { hasText: two.name }).getByRole('button', { name: 'Release' }).click();
    const released = page.getByTestId('toast').filter({ hasText: `Released ${two.name}` });
    await released.waitFor();
    const releasedLook = await lookOf(released);
    await sheet.locator('.hold', { hasText: one.name }).getByRole('button', { name: /Pay/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: /Pay/ }).click();
    await dialog.getByRole('button', { name: 'Done' }).click();
    const paid = page.getByTestId('toast').filter({ hasText: `enjoy your ${one.name}` });
    await paid.waitFor();
    assert.notEqual(await lookOf(paid), releasedLook, `releasing does not look like paying (${at})`);
    const open = await toastsOverControls(page);
    assert.ok(open.shown >= (viewport.width >= 1200 ? 2 : 1), `toasts are showing with the sheet open (${open.shown}, ${at})`);
    assert.deepEqual(open.hits, [], `sheet open, after paying and releasing, ${at}`);
    await shot(page, `26-toasts-clear-${viewport.width}-sheet-open`);
    await page.context().close();
  }
});

test('on a phone, toasts never cover the holds sheet\'s controls; the sheet has a backdrop', async () => {
  await newProduct('UX Sheet', 10);
  const page = await shopper(PHONE);
  await card(page, 'UX Sheet').getByRole('button', { name: /Reserve/ }).click();
  await page.getByRole('button', { name: /Your holds/ }).click();
  const sheet = page.getByRole('complementary', { name: 'Your holds' });
  await page.waitForTimeout(400); // the sheet slides in
  assert.ok(await page.locator('.panel-backdrop-open').isVisible(), 'a backdrop behind the sheet');
  await sheet.locator('.hold', { hasText: 'UX Sheet' }).getByRole('button', { name: 'Release' }).click();
  await page.getByTestId('toast').filter({ hasText: 'Released UX Sheet' }).waitFor();
  const overlaps = await page.evaluate(() => {
    const toasts = [...document.querySelectorAll('[data-testid="toast"]')].map((t) => t.getBoundingClientRect());
    const controls = [...document.querySelectorAll('.panel button, header.top button')].filter((b) => b.offsetParent !== null);
    return controls.filter((c) => {
      const r = c.getBoundingClientRect();
      return toasts.some((t) => t.left < r.right && r.left < t.right && t.top < r.bottom && r.top < t.bottom);
    }).map((c) => c.textContent);
  });
  assert.deepEqual(overlaps, []);
  await shot(page, '23-phone-toast-clear-of-sheet');
  await page.context().close();
});

test('on a phone, the answer to a Reserve never covers the card it came from, high or low on the screen', async () => {
  await newProduct('UX Thumb', 20);
  const page = await shopper(PHONE);
  const thumb = card(page, 'UX Thumb');
  for (const [at, name] of [['end', 'low'], ['start', 'high']]) {
    await thumb.evaluate((el, block) => el.scrollIntoView({ block }), at === 'end' ? 'end' : 'start');
    await thumb.getByRole('button', { name: /Reserve|Add 1/ }).click();
    await page.getByTestId('toast').first().waitFor();
    const covered = await thumb.evaluate((article) => {
      const toasts = [...document.querySelectorAll('[data-testid="toast"]')].map((t) => t.getBoundingClientRect());
      return [...article.querySelectorAll('button')].filter((b) => {
        const r = b.getBoundingClientRect();
        return toasts.some((t) => t.left < r.right && r.left < t.right && t.top < r.bottom && r.top < t.bottom);
      }).map((b) => b.textContent);
    });
    assert.deepEqual(covered, [], `a toast covers the card's controls when the card is ${name} on the screen`);
    await shot(page, `23b-phone-toast-away-from-${name}-card`);
    await page.getByTestId('toast').evaluateAll((all) => all.forEach((t) => t.click()));
  }
  await page.context().close();
});

test('focus: Enter on Reserve keeps it there; the drawer takes focus, closes on Escape and gives it back', async () => {
  await newProduct('UX Focus', 10, { maxPerShopper: 1 });
  const page = await shopper();
  const reserve = card(page, 'UX Focus').getByRole('button', { name: /Reserve/ });
  await reserve.focus();
  await page.keyboard.press('Enter');
  await card(page, 'UX Focus').getByRole('button', { name: 'Limit reached' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Limit reached', 'focus stays on the button');

  await page.getByRole('button', { name: /Your holds/ }).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'holds-heading');
  const toggle = await page.getByRole('button', { name: /Your holds/ }).boundingBox();
  const drawer = await page.getByRole('complementary', { name: 'Your holds' }).boundingBox();
  assert.ok(drawer.y >= toggle.y + toggle.height, 'the drawer does not cover its toggle');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.activeElement?.classList.contains('holds-button'));
  await page.context().close();
});

test('pay ends in a confirmation with the shopper\'s handle; focus is not lost; no serious axe violation anywhere', async () => {
  await newProduct('UX Receipt', 10);
  const page = await shopper();
  assert.deepEqual(await axeViolations(page), [], 'the shop');
  assert.equal(await page.getByRole('heading', { level: 1 }).count(), 1);
  assert.equal(await page.getByText('Reset demo data').count(), 0, 'shoppers do not see the reset');
  await card(page, 'UX Receipt').getByRole('button', { name: /Reserve/ }).click();
  await page.getByRole('button', { name: /Your holds/ }).click();
  await page.waitForTimeout(400);
  assert.deepEqual(await axeViolations(page), [], 'the holds drawer');
  await page.locator('.hold', { hasText: 'UX Receipt' }).getByRole('button', { name: 'Pay' }).click();
  const dialog = page.getByRole('dialog');
  assert.deepEqual(await axeViolations(page), [], 'the pay dialog');
  await dialog.getByRole('button', { name: /Pay/ }).click();
  const handle = await page.evaluate(() => localStorage.getItem('flashsale.handle'));
  await dialog.getByTestId('confirmation').getByText(handle).waitFor();
  await shot(page, '24-paid-confirmation');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await dialog.waitFor({ state: 'hidden' });
  // The dialog gives focus back on the next animation frame when its opener (the paid hold's Pay) is gone: wait for
  // that frame, not longer; focus left on <body> fails here.
  const focused = await page.waitForFunction(() => {
    const tag = document.activeElement?.tagName;
    return tag && tag !== 'BODY' ? tag : null;
  }, null, { timeout: 2000 }).then((found) => found.jsonValue(), () => 'BODY');
  assert.notEqual(focused, 'BODY', 'focus is not dropped to <body>');
  await page.getByTestId('activity').locator('li', { hasText: `${handle} (you) bought 1 × UX Receipt` }).waitFor();
  await page.context().close();

  const operator = await browser.newContext({ viewport: PHONE, bypassCSP: true });
  const dashboard = await operator.newPage();
  await dashboard.goto(`${BASE_URL}/#admin`);
  await dashboard.getByLabel('Admin key').fill(ADMIN_KEY);
  await dashboard.getByRole('button', { name: 'Open' }).click();
  await dashboard.getByTestId('dashboard-status').filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });
  await dashboard.waitForTimeout(1_500);
  assert.deepEqual(await axeViolations(dashboard), [], 'the dashboard');
  const sideways = await dashboard.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(sideways <= 0, `the dashboard fits 390 px (${sideways}px too wide)`);
  // The suite's service runs as in production, where flashsale.demo.reset-enabled is off: no reset button (the live
  // figures have said resetAvailable: false for over a second by now), and the endpoint is not there either.
  assert.equal(await dashboard.getByRole('button', { name: 'Reset demo data' }).count(), 0, 'no reset in production');
  assert.equal((await api('POST', '/api/admin/reset', undefined, ADMIN_KEY)).status, 404);
  await shot(dashboard, '25-dashboard-phone');
  await operator.close();
});

test('assets are served compressed to a client that asks, and there is an icon', async () => {
  const html = await (await fetch(BASE_URL + '/')).text();
  const script = html.match(/src="(\/assets\/[^"]+\.js)"/)[1];
  // Each body is read to its end: an unread one keeps its connection (and so this test file's process) alive.
  const gzipped = await fetch(BASE_URL + script, { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(gzipped.headers.get('content-encoding'), 'gzip');
  await gzipped.arrayBuffer();
  const json = await fetch(BASE_URL + '/api/products', { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(json.headers.get('content-encoding'), 'gzip');
  await json.arrayBuffer();
  const icon = await fetch(BASE_URL + '/favicon.ico');
  assert.equal(icon.status, 200);
  await icon.arrayBuffer();
});
