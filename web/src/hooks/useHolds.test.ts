// @vitest-environment jsdom
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Api, type Hold } from '../api/client';
import { ServerClock } from '../clock';
import { startShop, type Shop } from '../test/shop';
import { useHolds } from './useHolds';

const at = Date.parse('2026-12-07T10:00:00Z');
const iso = (offsetMs: number) => new Date(at + offsetMs).toISOString();
const hold = (id: string, fields: Partial<Hold> = {}): Hold => ({
  id, productId: 'p', quantity: 1, status: 'ACTIVE', createdAt: iso(-10_000), expiresAt: iso(60_000), ...fields,
});
const names: Record<string, string> = { p: 'Aurora Runner', q: 'Collab Cap' };

describe('useHolds', () => {
  let shop: Shop;
  // The page's clock, left unmeasured (offset 0) so that server time is the `now` each test renders with; the API's
  // own clock measures the test server's Date header.
  const clock = new ServerClock();
  const api = new Api(new ServerClock(), () => 'token');
  beforeEach(async () => {
    shop = await startShop();
  });
  afterEach(async () => {
    cleanup();
    await shop.stop();
  });

  const render = (now = at) => {
    const toasts: string[] = [];
    const announced: string[] = [];
    const view = renderHook(({ now }) => useHolds(api, {
      clock, now, toast: (_, text) => void toasts.push(text), announce: (text) => void announced.push(text), nameOf: (id) => names[id ?? ''],
    }), { initialProps: { now } });
    return { ...view, toasts, announced };
  };

  it('reads the holds, and tells once each that expired while it was not told', async () => {
    shop.answer('GET /api/reservations', { body: { items: [hold('h1'), hold('h2', { productId: 'q' })] } });
    const { result, toasts } = render();
    await act(() => result.current.load());
    expect(result.current.holds.map((h) => h.id)).toEqual(['h1', 'h2']);
    expect(toasts).toEqual([]);
    shop.answer('GET /api/reservations', { body: { items: [hold('h1', { status: 'EXPIRED' }), hold('h2', { productId: 'q' })] } });
    await act(() => result.current.load());
    await act(() => result.current.load());
    expect(toasts).toEqual(['Your hold on Aurora Runner expired while the page was reconnecting — the stock went back.']);
    expect(result.current.active.map((h) => h.id)).toEqual(['h2']);
  });

  it('tells a pushed expiry once, and the same expiry found by a re-read not again', async () => {
    shop.answer('GET /api/reservations', { body: { items: [hold('h1')] } });
    const { result, toasts } = render();
    await act(() => result.current.load());
    const expired = { type: 'hold', change: 'EXPIRED', id: 'h1', productId: 'p', quantity: 1, status: 'EXPIRED', expiresAt: iso(60_000), endedAt: iso(60_000) } as const;
    act(() => result.current.pushed(expired));
    act(() => result.current.pushed(expired));
    expect(result.current.holds[0].status).toBe('EXPIRED');
    shop.answer('GET /api/reservations', { body: { items: [hold('h1', { status: 'EXPIRED' })] } });
    await act(() => result.current.load());
    expect(toasts).toEqual(['Your hold on Aurora Runner expired — the stock went back']);
  });

  it('does not let a list read while a hold changed here wipe that change', async () => {
    let answer: (value: { body: unknown }) => void = () => {};
    shop.answer('GET /api/reservations', () => new Promise((resolve) => { answer = resolve; }));
    const { result } = render();
    let reading: Promise<void> = Promise.resolve();
    act(() => { reading = result.current.load(); });
    await waitFor(() => expect(shop.count('GET /api/reservations')).toBe(1));
    act(() => result.current.put(hold('new', { createdAt: iso(0) }))); // reserved while the list was on its way
    answer({ body: { items: [hold('h1')] } });
    await act(() => reading);
    expect(result.current.holds.map((h) => h.id)).toEqual(['new', 'h1']);
  });

  it('counts a hold whose time is up as over before the server says so, and shows a recent expiry on its card', async () => {
    shop.answer('GET /api/reservations', { body: { items: [
      hold('running', { expiresAt: iso(20_000) }),
      hold('due', { productId: 'q', expiresAt: iso(-1) }),
    ] } });
    const { result, rerender } = render();
    await act(() => result.current.load());
    expect(result.current.active.map((h) => h.id)).toEqual(['running', 'due']);
    expect(result.current.running.map((h) => h.id)).toEqual(['running']);
    expect(result.current.remaining(result.current.holds[0])).toBe(20_000);
    expect(result.current.shownOn('p')?.id).toBe('running');
    act(() => result.current.put(hold('running', { status: 'EXPIRED', endedAt: iso(20_000) })));
    rerender({ now: at + 60_000 });
    expect(result.current.shownOn('p')?.status).toBe('EXPIRED'); // "Reserve again" for a few minutes
    rerender({ now: at + 20_000 + 5 * 60_000 });
    expect(result.current.shownOn('p')).toBeUndefined();
  });

  it('takes what a refusal said one may still take, until the holds are read again', async () => {
    shop.answer('GET /api/reservations', { body: { items: [hold('h1', { quantity: 1 })] } });
    const { result } = render();
    await act(() => result.current.load());
    const limited = { id: 'p', maxPerShopper: 3 };
    expect(result.current.mayTake(limited)).toBe(2);
    act(() => result.current.limitTold('p', 0));
    expect(result.current.mayTake(limited)).toBe(0);
    await act(() => result.current.load());
    expect(result.current.mayTake(limited)).toBe(2);
  });

  it('announces a hold\'s last 30 seconds once', async () => {
    shop.answer('GET /api/reservations', { body: { items: [hold('h1', { expiresAt: iso(45_000) })] } });
    const { result, rerender, announced } = render();
    await act(() => result.current.load());
    expect(announced).toEqual([]);
    rerender({ now: at + 20_000 });
    rerender({ now: at + 21_000 });
    expect(announced).toEqual(['25 seconds left on your hold of Aurora Runner: pay now to keep it.']);
  });
});
