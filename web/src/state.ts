// What the page shows, updated only from what the server said: API responses and the live streams.
import type { Hold, Product } from './api/client';
import type { BatchMessage, HoldMessage, PurchaseEntry, SnapshotMessage } from './api/live';

// The messages of /ws/stock and /ws/shopper, generated from the AsyncAPI document (src/api/live.d.ts).
export type { BatchMessage, HoldMessage, PurchaseEntry, SnapshotMessage, StockEntry } from './api/live';

/** A purchase in the activity feed. */
export type Purchase = PurchaseEntry;

const FEED_LENGTH = 12;

/** Adds purchases to the feed: newest first, no duplicates (REST and the live stream may both bring one), bounded. */
export function addPurchases(shown: Purchase[], incoming: Purchase[]): Purchase[] {
  const key = (p: Purchase) => `${p.productId}|${p.handle}|${p.at}`;
  const seen = new Set(shown.map(key));
  const fresh = incoming.filter((p) => !seen.has(key(p))).map(({ productId, handle, quantity, at }) => ({ productId, handle, quantity, at }));
  return [...fresh, ...shown].sort((a, b) => b.at.localeCompare(a.at)).slice(0, FEED_LENGTH);
}

export interface Stock {
  availableStock: number;
  totalStock: number;
  version: number;
}

/** The figures a card, a waiting room and the stepper show for a product. */
export interface ShownStock {
  availableStock: number;
  totalStock: number;
}

/** A product's figures as a REST read carried them. */
const listed = (product: Product): ShownStock => ({ availableStock: product.availableStock ?? 0, totalStock: product.totalStock ?? 0 });

/**
 * The stock to show for a product — the one rule: what the server last said of it (the stream, a poll, a re-read
 * after an action), else the figures the catalogue listed it with.
 */
export function shownStock(stock: Record<string, Stock>, product: Product): ShownStock {
  const told = stock[product.id ?? ''];
  return told ? { availableStock: told.availableStock, totalStock: told.totalStock } : listed(product);
}

/** Applies a stock value unless we already show a newer one. */
export function applyStock(stock: Record<string, Stock>, productId: string, next: Stock): Record<string, Stock> {
  const current = stock[productId];
  if (current && current.version >= next.version) return stock;
  return { ...stock, [productId]: next };
}

/** Applies every stock entry of a batch (each unless we already show a newer version). */
export function applyBatch(stock: Record<string, Stock>, message: BatchMessage): Record<string, Stock> {
  return message.stock.reduce(
    (shown, { productId, availableStock, totalStock, version }) => applyStock(shown, productId, { availableStock, totalStock, version }),
    stock,
  );
}

/** The version we show for a product, taken when a request leaves (see applyReadStock). */
export function versionOf(stock: Record<string, Stock>, productId: string): number {
  return stock[productId]?.version ?? -1;
}

/**
 * A figure the server gave outside the stream — a product re-read after an action, or a refusal's
 * `availableStock`. It carries no version, so it is taken unless the stream brought news of this product while the
 * request was in flight (that news is at least as new). It keeps the version it replaces, so the stream's next
 * change still wins.
 */
export function applyReadStock(
  stock: Record<string, Stock>, productId: string, read: { availableStock: number; totalStock?: number }, versionAtSend: number,
): Record<string, Stock> {
  const current = stock[productId];
  if (current && current.version !== versionAtSend) return stock;
  const next = { availableStock: read.availableStock, totalStock: read.totalStock ?? current?.totalStock ?? read.availableStock, version: versionAtSend };
  if (current && current.availableStock === next.availableStock && current.totalStock === next.totalStock) return stock;
  return { ...stock, [productId]: next };
}

/** A snapshot replaces everything. */
export function applySnapshot(message: SnapshotMessage): Record<string, Stock> {
  const stock: Record<string, Stock> = {};
  for (const p of message.products) {
    stock[p.productId] = { availableStock: p.availableStock, totalStock: p.totalStock, version: p.version };
  }
  return stock;
}

/** Stock from a REST list, for products the live stream has not told us about yet. */
export function stockFromProducts(products: Product[], stock: Record<string, Stock>): Record<string, Stock> {
  const next = { ...stock };
  for (const p of products) {
    if (p.id && !next[p.id]) {
      next[p.id] = { ...listed(p), version: -1 };
    }
  }
  return next;
}

/**
 * Stock from GET /api/products, read while the stream is unavailable: every figure is taken (no stream is there to
 * have brought a newer one), keeping the version it replaces, so the stream's next message or snapshot still wins.
 */
export function stockFromPoll(products: Product[], stock: Record<string, Stock>): Record<string, Stock> {
  const next = { ...stock };
  for (const p of products) {
    if (p.id) {
      next[p.id] = { ...listed(p), version: stock[p.id]?.version ?? -1 };
    }
  }
  return next;
}

/** Puts the newest state of a hold into the list (newest first), replacing its older state. */
export function upsertHold(holds: Hold[], hold: Hold): Hold[] {
  const others = holds.filter((h) => h.id !== hold.id);
  const existing = holds.find((h) => h.id === hold.id);
  if (existing && existing.status !== 'ACTIVE' && hold.status === 'ACTIVE') return holds; // an end never reverts
  const merged = existing ? { ...existing, ...hold } : hold;
  return [merged, ...others].sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
}

/**
 * The holds a fetched list leaves us with: the list itself, unless holds changed here while it was in flight —
 * then the list is merged in, so a hold just reserved (or ended) is not wiped by an older answer.
 */
export function holdsFromList(list: Hold[], current: Hold[], changedMeanwhile: boolean): Hold[] {
  return changedMeanwhile ? list.reduce(upsertHold, current) : list;
}

/** A hold event from /ws/shopper as a hold (the fields the list shows). */
export function holdFromMessage(message: HoldMessage, existing?: Hold): Hold {
  return {
    ...existing,
    id: message.id,
    productId: message.productId,
    quantity: message.quantity,
    status: message.status,
    expiresAt: message.expiresAt,
    endedAt: message.endedAt,
    createdAt: existing?.createdAt ?? message.expiresAt,
    amountCents: existing?.priceCents !== undefined ? existing.priceCents * message.quantity : existing?.amountCents,
  };
}

/**
 * The holds a re-read says ended by expiry that we still showed active: what expired while the page was not told
 * (the stream down, the shop not answering). Each is told once.
 */
export function expiredMeanwhile(shown: Hold[], read: Hold[]): Hold[] {
  const wasActive = new Set(shown.filter((h) => h.status === 'ACTIVE').map((h) => h.id));
  return read.filter((h) => h.status === 'EXPIRED' && wasActive.has(h.id));
}

/**
 * A hold whose time is up by the server's clock: it is over whether or not the server's EXPIRED has arrived yet
 * (the expiry worker runs every second or so, and the stream may be down), so the page says Expired at zero.
 */
export const timeIsUp = (hold: Hold, remainingMs: number): boolean => hold.status === 'EXPIRED' || (hold.status === 'ACTIVE' && remainingMs <= 0);
