// @vitest-environment jsdom
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Api, type Hold, type Product } from '../api/client';
import { ServerClock } from '../clock';
import type { RetryPolicy } from '../retry';
import { startShop, type Answer, type Shop } from '../test/shop';
import { useHolds } from './useHolds';
import { useOrders } from './useOrders';
import { useQueuePlaces } from './useQueuePlaces';
import { useShopActions } from './useShopActions';
import { useStockStream } from './useStockStream';

const runner: Product = { id: 'p', name: 'Aurora Runner', priceCents: 12000, currency: 'EUR', availableStock: 7, totalStock: 50 };
const drop = { id: 'd', name: 'Night Drop', queue: true };
const byId = { p: runner, d: drop };
const held = (fields: Partial<Hold> = {}): Hold => ({
  id: 'h1', productId: 'p', quantity: 2, status: 'ACTIVE', priceCents: 12000, amountCents: 24000,
  createdAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 60_000).toISOString(), ...fields,
});
const problem = (status: number, code: string, detail: string, extra: object = {}) => ({ status, body: { title: code, status, detail, code, ...extra } });

describe('useShopActions', () => {
  let shop: Shop;
  beforeEach(async () => {
    location.hash = '';
    shop = await startShop();
    shop.answer('GET /api/activity', { body: [] });
    shop.answer('GET /api/products/p', { body: runner });
    shop.answer('GET /api/reservations', { body: { items: [] } });
    shop.answer('GET /api/orders', { body: { items: [] } });
  });
  afterEach(async () => {
    cleanup();
    await shop.stop();
  });

  /** The actions with the hooks they act on, as App composes them. */
  const render = (policy?: RetryPolicy) => {
    const toasts: string[] = [];
    const panel = document.createElement('h2');
    panel.tabIndex = -1;
    document.body.append(panel);
    const clock = new ServerClock();
    const api = new Api(clock, () => 'token', undefined, policy);
    const toast = (_: unknown, text: string) => void toasts.push(text);
    const view = renderHook(() => {
      const nameOf = (id: string | undefined) => byId[id as 'p']?.name ?? 'this item';
      const stock = useStockStream(api, clock, { onCatalogueStale: () => {}, knows: () => true, onPolled: () => {}, onSilent: () => {} });
      const holds = useHolds(api, { clock, now: Date.now(), toast, announce: () => {}, nameOf });
      const orders = useOrders(api);
      const places = useQueuePlaces(api, { signedIn: false, streamLive: true, products: null, clock, now: Date.now(), toast, announce: () => {}, nameOf });
      const actions = useShopActions({
        api, clock, holds, orders, stock, places, byId, nameOf, maxQuantityOf: () => 4, toast, fail: (e) => void toasts.push(`failed: ${(e as Error).message}`),
        panelHeading: { current: panel }, roomHeading: { current: null },
      });
      return { stock, holds, orders, places, actions };
    });
    return { ...view, toasts, panel };
  };

  it('reserves, says for how long, and re-reads the product; a second reserve says the timer was reset', async () => {
    shop.answer('POST /api/reservations', { status: 201, body: held() });
    const { result, toasts } = render();
    await act(() => result.current.actions.reserve(runner, 2));
    expect(result.current.holds.holds.map((h) => h.id)).toEqual(['h1']);
    expect(toasts[0]).toMatch(/^Reserved 2 × Aurora Runner: yours for (1:00|0:59|1:01)\. Pay before the timer runs out\.$/);
    await waitFor(() => expect(shop.count('GET /api/products/p')).toBe(1));
    shop.answer('POST /api/reservations', { status: 201, body: held({ quantity: 3 }) });
    await act(() => result.current.actions.reserve(runner, 1));
    expect(toasts[1]).toMatch(/^You now hold 3 × Aurora Runner — timer reset to (1:00|0:59|1:01)\.$/);
  });

  it('sends one reserve per product at a time', async () => {
    let answer: (a: { status: number; body: unknown }) => void = () => {};
    shop.answer('POST /api/reservations', () => new Promise((resolve) => { answer = resolve; }));
    const { result } = render();
    let first: Promise<void> = Promise.resolve();
    act(() => { first = result.current.actions.reserve(runner, 1); });
    expect(result.current.actions.busy).toBe('p');
    await act(() => result.current.actions.reserve(runner, 1));
    await waitFor(() => expect(shop.count('POST /api/reservations')).toBe(1));
    answer({ status: 201, body: held() });
    await act(() => first);
    expect(shop.count('POST /api/reservations')).toBe(1);
    expect(result.current.actions.busy).toBeNull();
  });

  it('shows a sold-out refusal\'s figure at once and says so in the product\'s name', async () => {
    shop.answer('POST /api/reservations', problem(409, 'OUT_OF_STOCK', 'Not enough stock', { availableStock: 0 }));
    shop.answer('GET /api/products/p', () => new Promise(() => {})); // the re-read never comes back
    const { result, toasts } = render();
    await act(() => result.current.actions.reserve(runner, 1));
    expect(result.current.stock.stock.p.availableStock).toBe(0);
    expect(toasts).toEqual(['Aurora Runner just sold out.']);
  });

  it('takes a limit refusal\'s remainder until the holds are re-read', async () => {
    let listAnswer: (a: { body: unknown }) => void = () => {};
    shop.answer('GET /api/reservations', () => new Promise((resolve) => { listAnswer = resolve; }));
    shop.answer('POST /api/reservations', problem(409, 'LIMIT_EXCEEDED', 'Limit reached', { remaining: 1 }));
    const { result, toasts } = render();
    const limited = { ...runner, maxPerShopper: 3 };
    await act(() => result.current.actions.reserve(limited, 2));
    expect(toasts).toEqual(['You may reserve 1 more of Aurora Runner.']);
    expect(result.current.holds.mayTake(limited)).toBe(1);
    await waitFor(() => expect(shop.count('GET /api/reservations')).toBe(1));
    await act(async () => listAnswer({ body: { items: [] } }));
    await waitFor(() => expect(result.current.holds.mayTake(limited)).toBe(3));
  });

  it('pays, with the confirmation open; a payment too late closes the dialog', async () => {
    shop.answer('POST /api/reservations/h1/complete', { body: held({ status: 'COMPLETED' }) });
    const { result, toasts } = render();
    act(() => result.current.actions.openPayment(held()));
    expect(result.current.actions.payment).toMatchObject({ paid: false });
    await act(() => result.current.actions.pay(held()));
    expect(result.current.actions.payment).toMatchObject({ paid: true, hold: { status: 'COMPLETED' } });
    expect(toasts[0]).toMatch(/^Paid .*240.* — enjoy your Aurora Runner!$/);
    shop.answer('POST /api/reservations/h1/complete', problem(409, 'HOLD_EXPIRED', 'The hold expired'));
    act(() => result.current.actions.openPayment(held()));
    await act(() => result.current.actions.pay(held()));
    expect(result.current.actions.payment).toBeNull();
    expect(toasts[1]).toBe('failed: The hold expired');
  });

  it('pays the cart as one order with one key, opens its receipt, and names the hold that is no longer active', async () => {
    const order = { id: 'o1', number: 1042, createdAt: '2026-12-07T10:00:00Z', lines: [], totals: [{ currency: 'USD', amountCents: 480 }] };
    shop.answer('POST /api/orders', { status: 201, body: order });
    const { result, toasts } = render();
    const cart = [held(), held({ id: 'h2' })];
    act(() => result.current.actions.openCheckout(cart));
    await act(() => result.current.actions.payAll(cart));
    expect(result.current.actions.checkout).toEqual({ order });
    expect(result.current.orders.orders[0].number).toBe(1042);
    expect(toasts[0]).toBe('Paid order #1042 — 2 items are yours.');
    const sent = shop.requests.filter((r) => r.method === 'POST' && r.path === '/api/orders');
    expect(sent[0].idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent[0].body).toEqual({ holdIds: ['h1', 'h2'] });
    shop.answer('POST /api/orders', problem(409, 'HOLD_NOT_ACTIVE', 'hold h2 is EXPIRED', { holdId: 'h2' }));
    act(() => result.current.actions.openCheckout(cart));
    await act(() => result.current.actions.payAll(cart));
    expect(result.current.actions.checkout).toBeNull();
    expect(toasts[1]).toBe('Nothing was charged: your hold on Aurora Runner is no longer active.');
  });

  it('releases, and gives focus to the panel\'s heading (the row pressed is gone)', async () => {
    shop.answer('POST /api/reservations/h1/cancel', { body: held({ status: 'CANCELLED' }) });
    const { result, toasts, panel } = render();
    await act(() => result.current.actions.release(held()));
    expect(toasts).toEqual(['Released Aurora Runner: the stock went back.']);
    expect(document.activeElement).toBe(panel);
    expect(result.current.holds.holds[0].status).toBe('CANCELLED');
  });

  it('joins a waiting room and opens it', async () => {
    shop.answer('POST /api/products/d/queue', { status: 201, body: { productId: 'd', state: 'WAITING', joinedAt: '2026-12-07T09:59:00Z' } });
    const { result, toasts } = render();
    await act(() => result.current.actions.join(drop));
    expect(toasts).toEqual(["You're in the waiting room for Night Drop."]);
    expect(result.current.places.places.d?.state).toBe('WAITING');
    expect(location.hash).toBe('#waiting-room/d');
  });

  /** Answers a route with each of these in turn (the last one from then on). */
  const inTurn = (...answers: Answer[]) => {
    let n = 0;
    return () => answers[Math.min(n++, answers.length - 1)];
  };

  it('tries again a reserve whose answer was lost, with the press\'s key; the next press has a key of its own', async () => {
    // The retry's answer waits until the test has seen the retry said: the backoff before it may be ~0 ms.
    let answerRetry: () => void = () => {};
    const retryAnswered = new Promise<void>((resolve) => { answerRetry = resolve; });
    const answers = inTurn({ hangUp: true }, { status: 201, body: held() });
    shop.answer('POST /api/reservations', async () => {
      const answer = answers();
      if (!('hangUp' in answer)) await retryAnswered;
      return answer;
    });
    const { result, toasts } = render();
    let reserving: Promise<void> = Promise.resolve();
    act(() => { reserving = result.current.actions.reserve(runner, 2); });
    await waitFor(() => expect(result.current.actions.retrying.p).toBe(true));
    answerRetry();
    await act(() => reserving);
    expect(result.current.actions.retrying).toEqual({});
    const sent = shop.requests.filter((r) => r.method === 'POST');
    expect(sent).toHaveLength(2);
    expect(sent[0].idempotencyKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(sent[1].idempotencyKey).toBe(sent[0].idempotencyKey);
    expect(result.current.holds.holds.map((h) => h.quantity)).toEqual([2]);
    expect(toasts).toHaveLength(1);
    expect(toasts[0]).toMatch(/^Reserved 2 × Aurora Runner/);

    shop.answer('POST /api/reservations', { status: 200, body: held({ quantity: 3 }) });
    await act(() => result.current.actions.reserve(runner, 1));
    const next = shop.requests.filter((r) => r.method === 'POST');
    expect(next).toHaveLength(3);
    expect(next[2].idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(next[2].idempotencyKey).not.toBe(sent[0].idempotencyKey);
  });

  it('waits as a 503\'s Retry-After asks, then reserves with the same key', async () => {
    shop.answer('POST /api/reservations', inTurn(
      { ...problem(503, 'OVERLOADED', 'Too many reserves waiting'), headers: { 'Retry-After': '1' } }, { status: 201, body: held() }));
    const { result, toasts } = render();
    await act(() => result.current.actions.reserve(runner, 2));
    const sent = shop.requests.filter((r) => r.method === 'POST');
    expect(sent).toHaveLength(2);
    expect(sent[1].idempotencyKey).toBe(sent[0].idempotencyKey);
    expect(toasts).toHaveLength(1);
    expect(toasts[0]).toMatch(/^Reserved 2 × Aurora Runner/);
  });

  it('gives up on a reserve never answered: says its outcome is unknown, and reads the holds again', async () => {
    shop.answer('POST /api/reservations', { hangUp: true });
    const { result, toasts } = render({ attemptTimeoutMs: 200, budgetMs: 300, baseMs: 10, capMs: 20 });
    const readsBefore = shop.count('GET /api/reservations');
    await act(() => result.current.actions.reserve(runner, 2));
    expect(shop.count('POST /api/reservations')).toBeGreaterThan(1);
    expect(new Set(shop.requests.filter((r) => r.method === 'POST').map((r) => r.idempotencyKey)).size).toBe(1);
    expect(toasts).toEqual([
      'No answer from the shop about 2 × Aurora Runner. If it went through, it is under Your holds.',
      // The last attempt ends by the hang-up or, on a loaded machine, by its own 200 ms deadline first.
      expect.stringMatching(/^failed: (Cannot reach the shop|The shop did not answer in time)\. Check your connection\.$/),
    ]);
    await waitFor(() => expect(shop.count('GET /api/reservations')).toBe(readsBefore + 1));
    expect(result.current.actions.retrying).toEqual({});
    expect(result.current.actions.busy).toBeNull();
  });

  it('does not try a definite refusal again', async () => {
    shop.answer('POST /api/reservations', inTurn(problem(409, 'OUT_OF_STOCK', 'Not enough stock', { availableStock: 0 }), { status: 201, body: held() }));
    const { result } = render();
    await act(() => result.current.actions.reserve(runner, 1));
    expect(shop.count('POST /api/reservations')).toBe(1);
    expect(result.current.actions.retrying).toEqual({});
  });

  it('tries pay, release and join again when their answers are lost or the shop is busy', async () => {
    shop.answer('POST /api/reservations/h1/complete', inTurn({ hangUp: true }, { status: 502 }, { body: held({ status: 'COMPLETED' }) }));
    shop.answer('POST /api/reservations/h2/cancel', inTurn({ hangUp: true }, { body: held({ id: 'h2', status: 'CANCELLED' }) }));
    shop.answer('POST /api/products/d/queue', inTurn({ status: 429, headers: { 'Retry-After': '0' } }, { status: 200, body: { productId: 'd', state: 'WAITING', joinedAt: '2026-12-07T09:59:00Z' } }));
    const { result, toasts } = render();
    await act(() => result.current.actions.pay(held()));
    expect(shop.count('POST /api/reservations/h1/complete')).toBe(3);
    expect(result.current.holds.holds.find((h) => h.id === 'h1')?.status).toBe('COMPLETED');
    await act(() => result.current.actions.release(held({ id: 'h2' })));
    expect(shop.count('POST /api/reservations/h2/cancel')).toBe(2);
    await act(() => result.current.actions.join(drop));
    expect(shop.count('POST /api/products/d/queue')).toBe(2);
    expect(toasts).toEqual([expect.stringMatching(/^Paid /), 'Released Aurora Runner: the stock went back.', "You're in the waiting room for Night Drop."]);
    expect(result.current.actions.retrying).toEqual({});
  });

  it('reserves again what an expired hold held, as much as may be taken now', async () => {
    shop.answer('POST /api/reservations', { status: 201, body: held({ id: 'h2', quantity: 4 }) });
    const { result } = render();
    act(() => result.current.actions.reserveAgain(held({ status: 'EXPIRED', quantity: 6 })));
    await waitFor(() => expect(result.current.holds.holds.map((h) => h.id)).toEqual(['h2']));
    expect(shop.requests.filter((r) => r.method === 'POST').map((r) => r.body)).toEqual([{ productId: 'p', quantity: 4 }]);
    expect(shop.requests.find((r) => r.method === 'POST')?.idempotencyKey).toBeTruthy();
  });
});
