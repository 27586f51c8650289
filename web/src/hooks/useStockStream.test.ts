// @vitest-environment jsdom
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Api, type Product } from '../api/client';
import { ServerClock } from '../clock';
import { wakeStreams } from '../live';
import { startShop, type Shop } from '../test/shop';
import { useStockStream } from './useStockStream';

const snapshot = (serverTime: string, ...products: [string, number, number, number][]) => ({
  type: 'snapshot', serverTime,
  products: products.map(([productId, availableStock, totalStock, version]) => ({ productId, availableStock, totalStock, version })),
});
const batch = (stock: [string, number, number, number][], purchases: { productId: string; handle: string; quantity: number; at: string }[] = []) => ({
  type: 'batch',
  stock: stock.map(([productId, availableStock, totalStock, version]) => ({ productId, availableStock, totalStock, version })),
  purchases,
});

describe('useStockStream', () => {
  let shop: Shop;
  let clock: ServerClock;
  let api: Api;
  beforeEach(async () => {
    shop = await startShop();
    shop.answer('GET /api/activity', { body: [] });
    clock = new ServerClock();
    api = new Api(clock, () => null, wakeStreams); // as the page's: any answer from the shop wakes the streams
  });
  afterEach(async () => {
    cleanup();
    await shop.stop();
  });

  const render = (listed: string[] = ['p']) => {
    const told = { stale: 0, polled: [] as Product[][], silent: [] as boolean[] };
    const view = renderHook(() => useStockStream(api, clock, {
      onCatalogueStale: () => void told.stale++,
      knows: (id) => listed.includes(id),
      onPolled: (list) => void told.polled.push(list),
      onSilent: (s) => void told.silent.push(s),
    }));
    return { ...view, told };
  };

  it('shows the snapshot, then each newer figure of the ticks, and the purchases', async () => {
    const { result, told } = render(['p', 'q']);
    await waitFor(() => expect(shop.watchers('/ws/stock')).toHaveLength(1));
    await waitFor(() => expect(result.current.status).toBe('live'));
    expect(result.current.synced).toBe(false); // open, but not caught up
    expect(told.silent).toEqual([false]);
    const serverTime = new Date(Date.now() + 60_000).toISOString();
    shop.push('/ws/stock', snapshot(serverTime, ['p', 7, 50, 3], ['q', 2, 20, 9]));
    await waitFor(() => expect(result.current.synced).toBe(true));
    expect(result.current.stock).toEqual({ p: { availableStock: 7, totalStock: 50, version: 3 }, q: { availableStock: 2, totalStock: 20, version: 9 } });
    expect(told.stale).toBe(1); // a snapshot follows a catalogue change too: the products are read again
    expect(clock.offsetMs()).toBeGreaterThan(59_000); // the snapshot's serverTime sets the clock
    const bought = { productId: 'p', handle: 'Swift Otter', quantity: 1, at: '2026-12-07T10:00:01Z' };
    shop.push('/ws/stock', batch([['p', 6, 50, 4], ['q', 5, 20, 8]], [bought]));
    await waitFor(() => expect(result.current.stock.p.availableStock).toBe(6));
    expect(result.current.stock.q).toEqual({ availableStock: 2, totalStock: 20, version: 9 }); // an older version never wins
    expect(result.current.purchases).toEqual([bought]);
    expect(told.stale).toBe(1);
  });

  it('reads the catalogue again when a tick names a product it does not list', async () => {
    const { result, told } = render(['p']);
    await waitFor(() => expect(result.current.status).toBe('live'));
    shop.push('/ws/stock', batch([['new', 5, 5, 1]]));
    await waitFor(() => expect(told.stale).toBe(1));
  });

  it('starts the feed from the recent purchases', async () => {
    const recent = { productId: 'p', handle: 'Calm Heron', quantity: 2, at: '2026-12-07T09:59:00Z' };
    shop.answer('GET /api/activity', { body: [recent] });
    const { result } = render();
    await waitFor(() => expect(result.current.purchases).toEqual([recent]));
  });

  it('polls the catalogue\'s figures while the stream is refused, and is live again from the next snapshot', async () => {
    shop.refuse('/ws/stock', true);
    shop.answer('GET /api/products', { body: [{ id: 'p', availableStock: 4, totalStock: 50 }] });
    const { result, told } = render();
    await waitFor(() => expect(result.current.status).toBe('unavailable'), { timeout: 4_000 });
    await waitFor(() => expect(result.current.stock.p).toEqual({ availableStock: 4, totalStock: 50, version: -1 }));
    expect(told.polled).toEqual([[{ id: 'p', availableStock: 4, totalStock: 50 }]]);
    shop.refuse('/ws/stock', false);
    await act(() => api.listProducts().then(() => {})); // any answer from the shop wakes the stream (see live.ts)
    await waitFor(() => expect(result.current.status).toBe('live'), { timeout: 4_000 });
    shop.push('/ws/stock', snapshot(new Date().toISOString(), ['p', 3, 50, 12]));
    await waitFor(() => expect(result.current.stock.p).toEqual({ availableStock: 3, totalStock: 50, version: 12 }));
  }, 10_000);

  it('re-reads a product after an action, unless the stream spoke of it meanwhile', async () => {
    const { result } = render();
    await waitFor(() => expect(result.current.status).toBe('live'));
    shop.push('/ws/stock', snapshot(new Date().toISOString(), ['p', 7, 50, 3]));
    await waitFor(() => expect(result.current.synced).toBe(true));
    shop.answer('GET /api/products/p', { body: { id: 'p', availableStock: 5, totalStock: 50 } });
    act(() => result.current.refresh('p'));
    await waitFor(() => expect(result.current.stock.p).toEqual({ availableStock: 5, totalStock: 50, version: 3 }));
    // A refusal's figure for a request sent at version 3, after the stream said version 4: the stream's stands.
    shop.push('/ws/stock', batch([['p', 2, 50, 4]]));
    await waitFor(() => expect(result.current.stock.p.version).toBe(4));
    act(() => result.current.told('p', { availableStock: 0 }, 3));
    expect(result.current.stock.p.availableStock).toBe(2);
    act(() => result.current.told('p', { availableStock: 0 }, result.current.versionOf('p')));
    expect(result.current.stock.p).toEqual({ availableStock: 0, totalStock: 50, version: 4 });
  });

  it('is not synced after its stream drops, until the next snapshot', async () => {
    const { result } = render();
    await waitFor(() => expect(result.current.status).toBe('live'));
    shop.push('/ws/stock', snapshot(new Date().toISOString(), ['p', 7, 50, 3]));
    await waitFor(() => expect(result.current.synced).toBe(true));
    shop.drop('/ws/stock');
    await waitFor(() => expect(result.current.status).toBe('reconnecting'));
    expect(result.current.synced).toBe(false);
    expect(result.current.stock.p.availableStock).toBe(7); // the last word stays shown
  });
});
