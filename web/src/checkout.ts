// The cart: what paying several holds at once costs, per currency, and when the first of them runs out.
import type { Hold, Order, Product } from './api/client';
import { formatPrice } from './format';

/** Totals per currency of the holds, as "€12.00 + $25.00" (one currency: one amount). */
export function cartTotal(holds: Hold[], products: Record<string, Product>): string {
  const totals = new Map<string, number>();
  for (const hold of holds) {
    const currency = products[hold.productId ?? '']?.currency ?? 'USD';
    totals.set(currency, (totals.get(currency) ?? 0) + (hold.amountCents ?? 0));
  }
  return [...totals].map(([currency, cents]) => formatPrice(cents, currency)).join(' + ');
}

/** The hold that runs out first: the cart's deadline. */
export function earliest(holds: Hold[]): Hold | undefined {
  return holds.reduce<Hold | undefined>((first, hold) =>
    !first || Date.parse(hold.expiresAt ?? '') < Date.parse(first.expiresAt ?? '') ? hold : first, undefined);
}

/** An order's totals, as the receipt says them. */
export const orderTotal = (order: Order) =>
  (order.totals ?? []).map((t) => formatPrice(t.amountCents ?? 0, t.currency)).join(' + ');
