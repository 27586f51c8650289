// @vitest-environment jsdom
import { cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QueueMessage } from '../queue';
import type { HoldMessage } from '../state';
import { startShop, type Shop } from '../test/shop';
import { useShopperStream } from './useShopperStream';

const holdEvent = { type: 'hold', change: 'CREATED', id: 'h1', productId: 'p', quantity: 2, status: 'ACTIVE', expiresAt: '2026-12-07T10:02:00Z', endedAt: null };
const queueEvent = { type: 'queue', productId: 'p', state: 'ADMITTED', position: 3, ahead: 0, estimatedWaitSeconds: 0, admissionExpiresAt: '2026-12-07T10:01:00Z', joinedAt: '2026-12-07T09:59:00Z' };

describe('useShopperStream', () => {
  let shop: Shop;
  beforeEach(async () => {
    shop = await startShop();
  });
  afterEach(async () => {
    cleanup();
    await shop.stop();
  });

  const render = (signedIn: boolean, rereadHolds: () => Promise<void> = async () => {}) => {
    const told = { holdReads: 0, placeReads: 0, holds: [] as HoldMessage[], queue: [] as QueueMessage[] };
    const token = () => 'shopper-token';
    const view = renderHook(({ signedIn }) => useShopperStream(signedIn, token, {
      rereadHolds: () => {
        told.holdReads++;
        return rereadHolds();
      },
      rereadPlaces: () => void told.placeReads++,
      onHold: (m) => void told.holds.push(m),
      onQueue: (m) => void told.queue.push(m),
    }), { initialProps: { signedIn } });
    return { ...view, told };
  };

  it('opens only once signed in, carrying the shopper\'s token', async () => {
    const { result, rerender } = render(false);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(shop.watchers('/ws/shopper')).toEqual([]);
    expect(result.current.status).toBe('connecting');
    rerender({ signedIn: true });
    await waitFor(() => expect(shop.watchers('/ws/shopper')).toEqual([{ token: 'shopper-token' }]));
  });

  it('is synced once the holds are re-read after connecting, and reads the places', async () => {
    const { result, told } = render(true);
    await waitFor(() => expect(result.current).toEqual({ status: 'live', synced: true }));
    expect(told).toMatchObject({ holdReads: 1, placeReads: 1 });
  });

  it('hands hold events and queue messages to their owners, and ignores the rest', async () => {
    const { result, told } = render(true);
    await waitFor(() => expect(result.current.status).toBe('live'));
    shop.push('/ws/shopper', holdEvent);
    shop.push('/ws/shopper', queueEvent);
    shop.push('/ws/shopper', { type: 'queue', productId: 'p', state: 'GONE' });
    shop.push('/ws/shopper', { type: 'news' });
    await waitFor(() => expect(told.queue).toEqual([queueEvent]));
    expect(told.holds).toEqual([holdEvent]);
  });

  it('retries the holds\' re-read until it gets through, and is not synced before', async () => {
    let failures = 1;
    const { result, told } = render(true, async () => {
      if (failures-- > 0) throw new Error('503');
    });
    await waitFor(() => expect(result.current.status).toBe('live'));
    expect(result.current.synced).toBe(false);
    await waitFor(() => expect(result.current.synced).toBe(true), { timeout: 3_000 });
    expect(told.holdReads).toBe(2);
  });

  it('after a drop, is not synced until reconnected and re-read', async () => {
    const { result, told } = render(true);
    await waitFor(() => expect(result.current.synced).toBe(true));
    shop.drop('/ws/shopper');
    await waitFor(() => expect(result.current).toEqual({ status: 'reconnecting', synced: false }));
    await waitFor(() => expect(result.current).toEqual({ status: 'live', synced: true }), { timeout: 3_000 });
    expect(told).toMatchObject({ holdReads: 2, placeReads: 2 });
  });
});
