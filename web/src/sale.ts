// A product's sale window and limit per shopper, as this page shows them: computed from server time only.
import type { Hold, Product } from './api/client';

export type SalePhase = { phase: 'open' } | { phase: 'upcoming'; opensInMs: number } | { phase: 'ended' };

/** Where the product's sale stands at the given server time. */
export function salePhase(product: Pick<Product, 'saleStartsAt' | 'saleEndsAt'>, serverNow: number): SalePhase {
  const starts = product.saleStartsAt ? Date.parse(product.saleStartsAt) : undefined;
  const ends = product.saleEndsAt ? Date.parse(product.saleEndsAt) : undefined;
  if (ends !== undefined && serverNow >= ends) return { phase: 'ended' };
  if (starts !== undefined && serverNow < starts) return { phase: 'upcoming', opensInMs: starts - serverNow };
  return { phase: 'open' };
}

/** Units this shopper may still reserve of a limited product (active holds and purchases count); undefined: no limit. */
export function remainingForMe(product: Pick<Product, 'id' | 'maxPerShopper'>, holds: Hold[]): number | undefined {
  if (product.maxPerShopper == null) return undefined;
  const used = holds
    .filter((h) => h.productId === product.id && (h.status === 'ACTIVE' || h.status === 'COMPLETED'))
    .reduce((sum, h) => sum + (h.quantity ?? 0), 0);
  return Math.max(0, product.maxPerShopper - used);
}

/**
 * Units this shopper may still reserve of a product: the computed remainder, or less when a refusal said so
 * (LIMIT_EXCEEDED's `remaining`, until the holds are re-read); undefined: no limit.
 */
export function mayStillTake(product: Pick<Product, 'id' | 'maxPerShopper'>, holds: Hold[], told: number | undefined): number | undefined {
  const computed = remainingForMe(product, holds);
  return told === undefined ? computed : Math.min(told, computed ?? told);
}

/** The stepper's maximum: one request's limit, the stock shown and what the shopper may still take; at least 1. */
export function maxQuantity(maxPerRequest: number, available: number, mayTake: number | undefined): number {
  return Math.max(1, Math.min(maxPerRequest, available, mayTake ?? Number.MAX_SAFE_INTEGER));
}

/** "1:05:09" or "4:09": a countdown that may run for hours. */
export function formatLongCountdown(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mm = hours > 0 ? minutes.toString().padStart(2, '0') : minutes.toString();
  return `${hours > 0 ? `${hours}:` : ''}${mm}:${seconds.toString().padStart(2, '0')}`;
}
