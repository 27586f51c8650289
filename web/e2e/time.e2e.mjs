// The shopper's page tells the truth about time (issue 26, 13–16), in real Chromium against the real stack (see
// shop.e2e.mjs). BrowserE2ETest configures a short hold (FLASHSALE_HOLD_TTL) and passes what this file needs to start
// an inventory-service of its own (INVENTORY_JAR and the database's environment), which it restarts under a page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { api, AXE, card, launch, newProduct, shopper as open, shot } from './support.mjs';

const PHONE = { width: 390, height: 844 };
const run = Date.now() % 1e5;
let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** The hold length the stack was started with, as the page must show it (m:ss): "6s" → "0:06". */
function configuredHold() {
  const text = process.env.FLASHSALE_HOLD_TTL ?? '2m';
  const match = /^(\d+)(s|m)$/.exec(text);
  assert.ok(match, `FLASHSALE_HOLD_TTL=${text}: this test reads whole seconds or minutes`);
  const seconds = Number(match[1]) * (match[2] === 'm' ? 60 : 1);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

async function axeContrast(page) {
  await page.addScriptTag({ path: AXE });
  const results = await page.evaluate(() => globalThis.axe.run(document, { runOnly: ['color-contrast'], resultTypes: ['violations'] }));
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} (${n.any.map((a) => a.message).join('; ')})`).join(', ')}`);
}

const tokenOf = (page) => page.evaluate(() => localStorage.getItem('flashsale.token'));

test('the hold length on every Reserve button is the server\'s from the first paint, before any hold', async () => {
  const hold = configuredHold();
  assert.notEqual(hold, '2:00', 'the stack runs with a hold TTL other than the old constant');
  const product = await newProduct(`Time TTL ${run}`, 5);
  const page = await open(browser);
  const button = card(page, product.name).locator('button.reserve');
  await button.waitFor();
  assert.equal(await button.textContent(), `Reserve · ${hold}`);
  await shot(page, '60-ttl-from-the-server');
  await page.context().close();
});

test('the first connect says Connecting…, then Live: never an amber Reconnecting…', async () => {
  const page = await open(browser, undefined, {
    prepare: (p) => p.addInitScript(() => {
      globalThis.indicatorSaid = [];
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="live-indicator"]')?.textContent;
        if (text && globalThis.indicatorSaid.at(-1) !== text) globalThis.indicatorSaid.push(text);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    }),
  });
  const said = await page.evaluate(() => globalThis.indicatorSaid);
  assert.equal(said.at(-1), 'Live');
  assert.deepEqual(said.filter((text) => text !== 'Connecting…' && text !== 'Live'), [], `the indicator said ${said.join(' → ')}`);
  await page.context().close();
});

test('each Reserve button\'s accessible name says its product', async () => {
  const hold = configuredHold();
  const one = await newProduct(`Time Name One ${run}`, 5);
  const two = await newProduct(`Time Name Two ${run}`, 5);
  const page = await open(browser);
  for (const product of [one, two]) {
    await page.getByRole('button', { name: `Reserve · ${hold}, ${product.name}`, exact: true }).waitFor({ timeout: 10_000 });
  }
  await page.context().close();
});

test('at zero the card and the pay dialog say Expired, Pay and Add are off, and Reserve again is offered', async () => {
  const hold = configuredHold();
  const product = await newProduct(`Time Zero ${run}`, 5);
  // The server's EXPIRED never reaches this page (as in an outage): the page must know the time is up by itself.
  const page = await open(browser, undefined, {
    prepare: (p) => p.routeWebSocket('**/ws/shopper', (ws) => {
      const server = ws.connectToServer();
      server.onMessage((message) => {
        if (!String(message).includes('EXPIRED')) ws.send(message);
      });
    }),
  });
  const theCard = card(page, product.name);
  await theCard.locator('button.reserve').click();
  await theCard.getByTestId('note').filter({ hasText: /You hold 1 · 0:0\d/ }).waitFor();
  assert.match(await theCard.locator('button.reserve').textContent(), /^Add 1 · timer resets to/);

  await page.getByRole('button', { name: /Your holds/ }).click();
  await page.locator('.hold', { hasText: product.name }).getByRole('button', { name: /^Pay/ }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText(/Held for another/).waitFor();
  await dialog.getByRole('heading', { name: 'Your hold expired' }).waitFor({ timeout: 20_000 });
  await dialog.getByTestId('pay-expired').filter({ hasText: /^Expired/ }).waitFor();
  assert.equal(await dialog.getByRole('button', { name: /^Pay/ }).count(), 0, 'no Pay once the hold is over');
  await dialog.getByRole('button', { name: 'Reserve again' }).waitFor();
  await shot(page, '61-pay-dialog-expired');
  await page.keyboard.press('Escape');

  await theCard.getByTestId('hold-expired').filter({ hasText: /^Expired/ }).waitFor();
  assert.equal(await theCard.locator('button.reserve').textContent(), `Reserve again · ${hold}`, 'no "Add" to a hold that is over');
  const row = page.locator('.hold', { hasText: product.name });
  assert.equal(await row.getByTestId('countdown').textContent(), 'Expired');
  assert.equal(await row.getByRole('button', { name: /^Pay/ }).count(), 0);
  await shot(page, '62-card-expired');
  await page.getByRole('button', { name: 'Close your holds' }).click();

  // Once the server has expired it, Reserve again makes a new hold.
  const token = await tokenOf(page);
  for (let i = 0; i < 100; i++) {
    const holds = (await api('GET', '/api/reservations?status=ACTIVE', undefined, token)).body.items;
    if (holds.length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await theCard.locator('button.reserve').click();
  await theCard.getByTestId('note').filter({ hasText: /You hold 1 · 0:0\d/ }).waitFor();
  await page.context().close();
});

test('the phone sheet keeps keyboard focus inside while it is open', async () => {
  const product = await newProduct(`Time Sheet ${run}`, 5);
  const page = await open(browser, PHONE);
  await card(page, product.name).locator('button.reserve').click();
  await card(page, product.name).getByTestId('note').filter({ hasText: /You hold 1/ }).waitFor();
  await page.getByRole('button', { name: /Your holds/ }).click();
  await page.waitForFunction(() => document.activeElement?.id === 'holds-heading');
  const inside = () => page.evaluate(() => document.activeElement?.closest('#holds-panel') !== null);
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab');
    assert.ok(await inside(), `Tab ${i + 1} left the sheet for ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80))}`);
  }
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Shift+Tab');
    assert.ok(await inside(), `Shift+Tab ${i + 1} left the sheet`);
  }
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.activeElement?.classList.contains('holds-button'));
  await page.keyboard.press('Tab');
  assert.ok(!(await inside()), 'closed, the sheet holds nothing');
  await page.context().close();
});

test('offline, the page passes AA contrast (axe-core)', async () => {
  await newProduct(`Time Contrast ${run}`, 5);
  const page = await open(browser);
  await page.context().setOffline(true);
  await page.getByTestId('live-indicator').filter({ hasText: 'Offline' }).waitFor();
  await page.getByTestId('toast').filter({ hasText: 'You are offline' }).waitFor();
  await shot(page, '63-offline-contrast');
  assert.deepEqual(await axeContrast(page), []);
  await page.context().setOffline(false);
  await page.context().close();
});

test('a page load asks for no place in a queue the shopper never joined (no 404 for queue/me)', async () => {
  const product = await newProduct(`Time Queue ${run}`, 5, { queue: true });
  const page = await open(browser, undefined, { waitLive: false, prepare: (p) => {
    p.placeReads = [];
    p.on('response', (response) => {
      if (response.url().includes('/queue/me')) p.placeReads.push(response.status());
    });
  } });
  await page.getByTestId('live-indicator').filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });
  const join = card(page, product.name).getByRole('button', { name: /Join the waiting room/ });
  await card(page, product.name).locator('button.reserve[aria-disabled="false"]').waitFor({ timeout: 15_000 });
  await page.reload();
  await page.getByTestId('live-indicator').filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });
  await join.waitFor();
  assert.deepEqual(page.placeReads, [], 'no read of a place that cannot exist');

  // Joined, the place is read again on the next load, and it is there.
  await card(page, product.name).locator('button.reserve[aria-disabled="false"]').waitFor({ timeout: 15_000 });
  await join.click();
  await page.getByTestId('room-headline').waitFor();
  await page.evaluate(() => { location.hash = ''; });
  await page.reload();
  await card(page, product.name).locator('button.reserve[aria-disabled="false"]').waitFor({ timeout: 15_000 });
  assert.ok(page.placeReads.length > 0 && page.placeReads.every((status) => status === 200), `reads: ${page.placeReads}`);
  await page.context().close();
});

// An inventory-service of this file's own on the stack's database, killed and started again under a page.
const JAR = process.env.INVENTORY_JAR;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function answers(base) {
  try {
    return (await fetch(`${base}/api/products`)).status === 200;
  } catch {
    return false;
  }
}

async function startService(port) {
  // Its management interface (health, metrics) on a free port too: the default 9000 may be taken.
  const managementPort = await freePort();
  const child = spawn('java', ['-Xmx384m', '-jar', JAR], {
    env: { ...process.env, QUARKUS_HTTP_PORT: String(port), QUARKUS_MANAGEMENT_PORT: String(managementPort) },
    stdio: 'ignore',
  });
  const base = `http://localhost:${port}`;
  for (let i = 0; i < 900 && !(await answers(base)); i++) {
    if (child.exitCode !== null) throw new Error(`inventory-service exited with ${child.exitCode}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(await answers(base), 'the restarted service answers');
  return child;
}

function stopService(child, signal) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve();
    child.once('exit', resolve);
    child.kill(signal);
  });
}

test('after a restart of the service, the page converges within seconds of its answer: holds re-read, what expired said (×3)', { skip: !JAR && 'INVENTORY_JAR not set' }, async () => {
  const port = await freePort();
  const base = `http://localhost:${port}`;
  let service = await startService(port);
  try {
    const product = await newProduct(`Time Restart ${run}`, 50);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(base);
    const indicator = page.getByTestId('live-indicator');
    await indicator.filter({ hasText: 'Live' }).waitFor({ timeout: 15_000 });
    const theCard = card(page, product.name);
    for (let round = 1; round <= 3; round++) {
      await theCard.locator('button.reserve[aria-disabled="false"]').waitFor({ timeout: 10_000 });
      await theCard.locator('button.reserve').click();
      await theCard.getByTestId('note').filter({ hasText: /You hold/ }).waitFor();
      await page.getByTestId('toast').filter({ hasText: /Reserved/ }).waitFor();

      await stopService(service, round === 2 ? 'SIGKILL' : 'SIGTERM');
      await indicator.filter({ hasText: 'Not answering — retrying' }).waitFor({ timeout: 20_000 });
      await page.getByTestId('toast').filter({ hasText: 'The shop is not answering — retrying' }).waitFor();
      assert.equal(await page.getByText('You are offline').count(), 0);
      if (round === 1) {
        assert.deepEqual(await axeContrast(page), [], 'the paused page passes AA contrast');
        await shot(page, '64-not-answering');
      }
      // The hold's time runs out during the outage (the stack's expiry-worker sweeps it meanwhile).
      await theCard.getByTestId('hold-expired').waitFor({ timeout: 20_000 });

      service = await startService(port);
      await indicator.filter({ hasText: 'Live' }).waitFor({ timeout: 10_000 });
      await page.getByTestId('toast').filter({ hasText: `Your hold on ${product.name} expired while the page was reconnecting` }).waitFor({ timeout: 5_000 });
      const badge = page.getByRole('button', { name: /Your holds/ }).locator('.count');
      assert.equal(await badge.textContent(), '0', `round ${round}: no hold shown active`);
      await shot(page, `65-back-after-restart-${round}`);
    }
    await context.close();
  } finally {
    await stopService(service, 'SIGTERM');
  }
});
