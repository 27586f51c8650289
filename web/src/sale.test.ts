import { describe, expect, it } from 'vitest';
import type { Hold } from './api/client';
import { formatLongCountdown, maxQuantity, mayStillTake, remainingForMe, salePhase } from './sale';

describe('sale window', () => {
  const at = Date.parse('2026-12-01T18:00:00Z');

  it('is open without a window', () => {
    expect(salePhase({}, at)).toEqual({ phase: 'open' });
  });

  it('counts down to the start, and opens exactly at it', () => {
    const product = { saleStartsAt: '2026-12-01T18:00:00Z' };
    expect(salePhase(product, at - 65_000)).toEqual({ phase: 'upcoming', opensInMs: 65_000 });
    expect(salePhase(product, at)).toEqual({ phase: 'open' });
  });

  it('has ended from its end on', () => {
    const product = { saleStartsAt: '2026-12-01T17:00:00Z', saleEndsAt: '2026-12-01T18:00:00Z' };
    expect(salePhase(product, at - 1)).toEqual({ phase: 'open' });
    expect(salePhase(product, at)).toEqual({ phase: 'ended' });
  });

  it('formats hours when the wait is long', () => {
    expect(formatLongCountdown(65_000)).toBe('1:05');
    expect(formatLongCountdown(3_909_000)).toBe('1:05:09');
  });
});

describe('limit per shopper', () => {
  const hold = (status: Hold['status'], quantity: number, productId = 'p'): Hold => ({ id: `${status}${quantity}`, productId, status, quantity });

  it('counts active holds and purchases of that product, not released or expired ones', () => {
    const holds = [hold('ACTIVE', 1), hold('COMPLETED', 1), hold('CANCELLED', 5), hold('EXPIRED', 5), hold('ACTIVE', 3, 'other')];
    expect(remainingForMe({ id: 'p', maxPerShopper: 3 }, holds)).toBe(1);
    expect(remainingForMe({ id: 'p', maxPerShopper: 1 }, holds)).toBe(0);
  });

  it('is unlimited without a limit', () => {
    expect(remainingForMe({ id: 'p' }, [hold('ACTIVE', 9)])).toBeUndefined();
  });
});

describe('how many one may take', () => {
  const limited = { id: 'p', maxPerShopper: 3 };
  const holds: Hold[] = [{ id: 'h', productId: 'p', quantity: 1, status: 'ACTIVE' }];

  it('is the computed remainder, or what a refusal said when that is less', () => {
    expect(mayStillTake(limited, holds, undefined)).toBe(2);
    expect(mayStillTake(limited, holds, 1)).toBe(1);
    expect(mayStillTake(limited, holds, 5)).toBe(2);
    expect(mayStillTake({ id: 'p' }, holds, undefined)).toBeUndefined();
    expect(mayStillTake({ id: 'p' }, holds, 4)).toBe(4);
  });

  it('caps the stepper by the request limit, the stock shown and the remainder, never below 1', () => {
    expect(maxQuantity(10, 50, undefined)).toBe(10);
    expect(maxQuantity(10, 7, undefined)).toBe(7);
    expect(maxQuantity(10, 7, 2)).toBe(2);
    expect(maxQuantity(4, 0, 0)).toBe(1);
  });
});
