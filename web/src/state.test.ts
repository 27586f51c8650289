import { describe, expect, it } from 'vitest';
import type { Hold } from './api/client';
import {
  addPurchases, applyBatch, applyReadStock, applySnapshot, applyStock, holdFromMessage, holdsFromList, stockFromPoll,
  shownStock, upsertHold, expiredMeanwhile, timeIsUp,
} from './state';

describe('stock', () => {
  it('never goes back to an older version', () => {
    let stock = applyStock({}, 'p', { availableStock: 5, totalStock: 10, version: 7 });
    stock = applyStock(stock, 'p', { availableStock: 9, totalStock: 10, version: 6 });
    expect(stock.p.availableStock).toBe(5);
    stock = applyStock(stock, 'p', { availableStock: 4, totalStock: 10, version: 8 });
    expect(stock.p).toEqual({ availableStock: 4, totalStock: 10, version: 8 });
  });

  it('takes a figure read after an action, unless the stream spoke meanwhile', () => {
    const shown = { p: { availableStock: 1, totalStock: 1, version: 4 } };
    expect(applyReadStock(shown, 'p', { availableStock: 0, totalStock: 1 }, 4).p).toEqual({ availableStock: 0, totalStock: 1, version: 4 });
    const streamed = applyStock(shown, 'p', { availableStock: 0, totalStock: 1, version: 5 });
    expect(applyReadStock(streamed, 'p', { availableStock: 1 }, 4)).toBe(streamed);
    // The stream's next change still wins over the read figure.
    const read = applyReadStock(shown, 'p', { availableStock: 0 }, 4);
    expect(applyStock(read, 'p', { availableStock: 1, totalStock: 1, version: 5 }).p.availableStock).toBe(1);
  });

  it('takes every polled figure while the stream is unavailable, and the stream still wins after', () => {
    const shown = { p: { availableStock: 5, totalStock: 10, version: 7 } };
    const polled = stockFromPoll([{ id: 'p', availableStock: 3, totalStock: 10 }, { id: 'q', availableStock: 2, totalStock: 2 }], shown);
    expect(polled).toEqual({ p: { availableStock: 3, totalStock: 10, version: 7 }, q: { availableStock: 2, totalStock: 2, version: -1 } });
    expect(applyStock(polled, 'p', { availableStock: 4, totalStock: 10, version: 8 }).p.availableStock).toBe(4);
  });

  it('takes a snapshot whole', () => {
    const stock = applySnapshot({
      type: 'snapshot',
      serverTime: '2026-01-01T00:00:00Z',
      products: [{ productId: 'a', availableStock: 1, totalStock: 2, version: 3 }],
    });
    expect(stock).toEqual({ a: { availableStock: 1, totalStock: 2, version: 3 } });
  });

  it('applies every product of a batch, never going back to an older version', () => {
    const shown = { a: { availableStock: 5, totalStock: 10, version: 7 }, b: { availableStock: 3, totalStock: 3, version: 2 } };
    const stock = applyBatch(shown, {
      type: 'batch',
      serverTime: '2026-01-01T00:00:01Z',
      stock: [
        { productId: 'b', availableStock: 2, totalStock: 3, version: 3, at: '2026-01-01T00:00:00.9Z' },
        { productId: 'a', availableStock: 9, totalStock: 10, version: 6, at: '2026-01-01T00:00:00.5Z' },
        { productId: 'c', availableStock: 1, totalStock: 1, version: 40, at: '2026-01-01T00:00:00.8Z' },
      ],
      purchases: [],
    });
    expect(stock).toEqual({
      a: { availableStock: 5, totalStock: 10, version: 7 },
      b: { availableStock: 2, totalStock: 3, version: 3 },
      c: { availableStock: 1, totalStock: 1, version: 40 },
    });
    expect(applyBatch(stock, { type: 'batch', serverTime: '2026-01-01T00:00:02Z', stock: [], purchases: [] })).toBe(stock);
  });

  it("adds a batch's purchases to the feed, newest first", () => {
    const purchases = [
      { productId: 'a', handle: 'Swift Otter 1', quantity: 1, at: '2026-01-01T00:00:00.1Z' },
      { productId: 'b', handle: 'Calm Heron 2', quantity: 2, at: '2026-01-01T00:00:00.2Z' },
    ];
    expect(addPurchases([], purchases).map((p) => p.handle)).toEqual(['Calm Heron 2', 'Swift Otter 1']);
  });
});

describe('holds', () => {
  const active: Hold = {
    id: 'h1', productId: 'p', quantity: 1, status: 'ACTIVE', priceCents: 500, amountCents: 500,
    createdAt: '2026-01-01T00:00:00Z', expiresAt: '2026-01-01T00:02:00Z', endedAt: null,
  };

  it('an expiry pushed by the server ends the hold', () => {
    const expired = holdFromMessage({
      type: 'hold', change: 'EXPIRED', id: 'h1', productId: 'p', quantity: 1, status: 'EXPIRED',
      expiresAt: active.expiresAt!, endedAt: '2026-01-01T00:02:00.050Z',
    }, active);
    const holds = upsertHold([active], expired);
    expect(holds).toHaveLength(1);
    expect(holds[0].status).toBe('EXPIRED');
    expect(holds[0].createdAt).toBe(active.createdAt);
  });

  it('a late ACTIVE event never revives an ended hold', () => {
    const ended = { ...active, status: 'COMPLETED' as const };
    expect(upsertHold([ended], active)[0].status).toBe('COMPLETED');
  });

  it('keeps the newest first', () => {
    const older = { ...active, id: 'h0', createdAt: '2025-12-31T00:00:00Z' };
    expect(upsertHold([older], active).map((h) => h.id)).toEqual(['h1', 'h0']);
  });

  it('a list fetched while nothing changed here replaces what we show', () => {
    expect(holdsFromList([], [active], false)).toEqual([]);
  });

  it('a list that was in flight while we reserved does not wipe the new hold', () => {
    const older = { ...active, id: 'h0', createdAt: '2025-12-31T00:00:00Z' };
    expect(holdsFromList([older], [active], true).map((h) => h.id)).toEqual(['h1', 'h0']);
  });

  it('a stale list never revives a hold that ended here meanwhile', () => {
    const paid = { ...active, status: 'COMPLETED' as const };
    expect(holdsFromList([active], [paid], true)[0].status).toBe('COMPLETED');
  });
});

describe('expiry', () => {
  const hold = (id: string, status: Hold['status']): Hold => ({ id, status, productId: 'p', quantity: 1, createdAt: id, expiresAt: id });

  it('a re-read tells the holds that expired while the page showed them active, and only those', () => {
    const shown = [hold('a', 'ACTIVE'), hold('b', 'ACTIVE'), hold('c', 'EXPIRED'), hold('d', 'CANCELLED')];
    const read = [hold('a', 'EXPIRED'), hold('b', 'ACTIVE'), hold('c', 'EXPIRED'), hold('d', 'CANCELLED'), hold('e', 'EXPIRED')];
    expect(expiredMeanwhile(shown, read).map((h) => h.id)).toEqual(['a']);
  });

  it('a hold is over at zero, before the server says so', () => {
    expect(timeIsUp(hold('a', 'ACTIVE'), 1)).toBe(false);
    expect(timeIsUp(hold('a', 'ACTIVE'), 0)).toBe(true);
    expect(timeIsUp(hold('a', 'EXPIRED'), 5_000)).toBe(true);
    expect(timeIsUp(hold('a', 'COMPLETED'), 0)).toBe(false);
  });
});

describe('the stock to show', () => {
  const product = { id: 'p', availableStock: 9, totalStock: 10 };

  it('is what the server last said of the product, else its listed figures', () => {
    expect(shownStock({}, product)).toEqual({ availableStock: 9, totalStock: 10 });
    expect(shownStock({ p: { availableStock: 0, totalStock: 10, version: 3 } }, product)).toEqual({ availableStock: 0, totalStock: 10 });
    expect(shownStock({ q: { availableStock: 1, totalStock: 1, version: 3 } }, product)).toEqual({ availableStock: 9, totalStock: 10 });
    expect(shownStock({}, { id: 'r' })).toEqual({ availableStock: 0, totalStock: 0 });
  });
});
