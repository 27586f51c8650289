import { describe, expect, it } from 'vitest';
import type { Hold, Order, Product } from './api/client';
import { cartTotal, earliest, orderTotal } from './checkout';

const products = { a: { id: 'a', currency: 'USD' }, b: { id: 'b', currency: 'EUR' } } as unknown as Record<string, Product>;
const hold = (id: string, productId: string, amountCents: number, expiresAt: string) => ({ id, productId, amountCents, expiresAt }) as Hold;

describe('the cart', () => {
  it('totals per currency and finds the first deadline', () => {
    const holds = [hold('1', 'a', 1000, '2026-12-07T12:01:00Z'), hold('2', 'a', 500, '2026-12-07T12:00:30Z'), hold('3', 'b', 200, '2026-12-07T12:02:00Z')];
    expect(cartTotal(holds.slice(0, 2), products)).toMatch(/15\.00/);
    expect(cartTotal(holds, products)).toContain(' + ');
    expect(earliest(holds)?.id).toBe('2');
    expect(earliest([])).toBeUndefined();
  });

  it('says an order\'s total as its receipt does', () => {
    expect(orderTotal({ totals: [{ currency: 'USD', amountCents: 2500 }] } as Order)).toMatch(/25\.00/);
  });
});
