// @vitest-environment jsdom
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DashboardMessage } from '../dashboard';
import { startShop, type Shop } from '../test/shop';
import { useDashboardStream } from './useDashboardStream';

const row = (availableStock: number, held: number) => ({
  productId: 'p', name: 'Aurora Runner', availableStock, totalStock: 50, held, sold: 50 - availableStock - held,
  createdPerSecond: 1, expiredPerSecond: 0, expiryLagMillis: null,
});
const tick = (availableStock: number, held: number, resetAvailable = true): DashboardMessage => ({
  type: 'dashboard', at: new Date().toISOString(), intervalMillis: 1000, resetAvailable, products: [row(availableStock, held)],
});

describe('useDashboardStream', () => {
  let shop: Shop;
  beforeEach(async () => {
    shop = await startShop();
  });
  afterEach(async () => {
    cleanup();
    await shop.stop();
  });

  it('opens only with a key, carrying it, and closes when the operator signs out', async () => {
    const { result, rerender } = renderHook(({ key }) => useDashboardStream(key), { initialProps: { key: null as string | null } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(shop.watchers('/ws/admin')).toEqual([]);
    rerender({ key: 'admin-key' });
    await waitFor(() => expect(result.current.status).toBe('live'));
    expect(shop.watchers('/ws/admin')).toEqual([{ token: 'admin-key' }]);
    rerender({ key: null });
    await waitFor(() => expect(shop.watchers('/ws/admin')).toEqual([]));
  });

  it('shows each tick\'s rows and keeps each figure\'s series; other messages are ignored', async () => {
    const { result } = renderHook(() => useDashboardStream('admin-key'));
    await waitFor(() => expect(result.current.status).toBe('live'));
    shop.push('/ws/admin', tick(40, 5));
    shop.push('/ws/admin', { type: 'snapshot', products: [] });
    shop.push('/ws/admin', tick(38, 6, false));
    await waitFor(() => expect(result.current.rows).toEqual([row(38, 6)]));
    expect(result.current.resetAvailable).toBe(false);
    expect(result.current.history.p).toMatchObject({ available: [40, 38], held: [5, 6] });
  });

  it('shows the figures the sign-in read until the first tick', () => {
    const { result } = renderHook(() => useDashboardStream(null));
    act(() => result.current.show(tick(12, 3)));
    expect(result.current.rows).toEqual([row(12, 3)]);
    expect(result.current.resetAvailable).toBe(true);
  });
});
