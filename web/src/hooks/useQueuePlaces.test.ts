// @vitest-environment jsdom
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Api, type Product } from '../api/client';
import { ServerClock } from '../clock';
import { drawKey, type Ticket } from '../queue';
import { joinedRooms } from '../rooms';
import { startShop, type Shop } from '../test/shop';
import { useQueuePlaces, type PlacesContext } from './useQueuePlaces';

const joinedAt = '2026-12-07T09:59:00Z';
const ticket = (productId: string, fields: Partial<Ticket> = {}) => ({
  productId, state: 'WAITING', position: 5, ahead: 4, estimatedWaitSeconds: 60, admissionExpiresAt: null, joinedAt, ...fields,
});
const notInQueue = { title: 'Not in the queue', status: 404, detail: 'you are not in this queue', code: 'NOT_IN_QUEUE' };
const products: Product[] = [
  { id: 'a', name: 'Drop A', queue: true },
  { id: 'b', name: 'Drop B', queue: true },
  { id: 'plain', name: 'Plain' },
];

describe('useQueuePlaces', () => {
  let shop: Shop;
  const clock = new ServerClock();
  const api = new Api(new ServerClock(), () => 'token');
  beforeEach(async () => {
    localStorage.clear();
    shop = await startShop();
  });
  afterEach(async () => {
    cleanup();
    await shop.stop();
  });

  const render = (context: Partial<PlacesContext> = {}) => {
    const toasts: string[] = [];
    const announced: string[] = [];
    const view = renderHook((props: Partial<PlacesContext>) => useQueuePlaces(api, {
      signedIn: true, streamLive: true, products, clock, now: Date.now(),
      toast: (_, text) => void toasts.push(text), announce: (text) => void announced.push(text),
      nameOf: (id) => products.find((p) => p.id === id)?.name ?? 'this item', ...props,
    }), { initialProps: context });
    return { ...view, toasts, announced };
  };

  it('reads, once signed in, only the places of rooms this shopper joined; the others are known: not in the queue', async () => {
    localStorage.setItem('flashsale.rooms', '["b","gone"]');
    shop.answer('GET /api/products/b/queue/me', { body: ticket('b') });
    const { result, rerender } = render({ signedIn: false });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(result.current.places).toEqual({});
    rerender({ signedIn: true });
    await waitFor(() => expect(result.current.places.b).toMatchObject({ state: 'WAITING', position: 5 }));
    expect(result.current.places.a).toEqual({ productId: 'a', state: 'NOT_IN_QUEUE', leftJoinedAt: null });
    expect(result.current.places.plain).toBeUndefined();
    expect(shop.requests.map((r) => r.path)).toEqual(['/api/products/b/queue/me']);
  });

  it('forgets a joined room the shop says it is not in', async () => {
    localStorage.setItem('flashsale.rooms', '["a"]');
    shop.answer('GET /api/products/a/queue/me', { status: 404, body: notInQueue });
    const { result } = render();
    await waitFor(() => expect(result.current.places.a?.state).toBe('NOT_IN_QUEUE'));
    expect(joinedRooms()).toEqual([]);
  });

  it('joins and leaves a room, remembering which rooms were joined', async () => {
    shop.answer('POST /api/products/a/queue', { status: 201, body: ticket('a') });
    shop.answer('DELETE /api/products/a/queue/me', { status: 204 });
    const { result } = render();
    await act(() => result.current.join('a'));
    expect(result.current.places.a).toMatchObject({ state: 'WAITING', position: 5, joinedAt });
    expect(joinedRooms()).toEqual(['a']);
    await act(() => result.current.leave('a'));
    expect(result.current.places.a).toEqual({ productId: 'a', state: 'NOT_IN_QUEUE', leftJoinedAt: joinedAt });
    expect(joinedRooms()).toEqual([]);
    // A late message about the place left does not bring it back.
    act(() => result.current.merge(ticket('a', { ahead: 1 }) as Ticket));
    expect(result.current.places.a.state).toBe('NOT_IN_QUEUE');
  });

  it('tells an admission in a toast and to screen readers, and a lapse of a place in play', async () => {
    const { result, toasts, announced } = render();
    act(() => result.current.merge(ticket('a') as Ticket));
    expect(toasts).toEqual([]);
    const deadline = new Date(Date.now() + 60_000).toISOString();
    act(() => result.current.merge(ticket('a', { state: 'ADMITTED', ahead: 0, admissionExpiresAt: deadline }) as Ticket));
    expect(toasts).toHaveLength(1);
    expect(toasts[0]).toMatch(/^You're in for Drop A — reserve within (1:00|0:5\d)\.$/);
    expect(announced[0]).toMatch(/^You're in: reserve Drop A within/);
    act(() => result.current.merge(ticket('a', { state: 'LAPSED', ahead: 0 }) as Ticket));
    expect(toasts[1]).toBe('Your turn for Drop A lapsed: it went to the next in line.');
  });

  it('reads a place in play again every few seconds while /ws/shopper is down, and not while it is live', async () => {
    let reads = 0;
    shop.answer('GET /api/products/a/queue/me', () => ({ body: ticket('a', { ahead: 4 - reads++ }) }));
    localStorage.setItem('flashsale.rooms', '["a"]');
    const { result, rerender } = render({ streamLive: false });
    await waitFor(() => expect(result.current.places.a?.state).toBe('WAITING'));
    await waitFor(() => expect(reads).toBe(2), { timeout: 7_000 }); // the poll: 3–6 s after the first read
    await waitFor(() => expect(result.current.places.a).toMatchObject({ ahead: 3 }));
    rerender({ streamLive: true });
    await new Promise((resolve) => setTimeout(resolve, 6_500)); // longer than the poll's longest interval
    expect(reads).toBe(2);
  }, 20_000);

  it('checks the shopper\'s key against the published draw at their position', async () => {
    const key = await drawKey('seed-1', 'shopper-1');
    shop.answer('GET /api/products/a/queue/draw', (request) => ({
      body: request.path.includes('from=2&limit=3')
        ? { places: [{ position: 2, key: '0' }, { position: 3, key }, { position: 4, key: 'f' }] } : { places: [] },
    }));
    const { result } = render();
    expect(await result.current.checkDraw('a', 'shopper-1', 'seed-1', 3)).toBe(true);
    expect(await result.current.checkDraw('a', 'shopper-2', 'seed-1', 3)).toBe(false);
  });
});
