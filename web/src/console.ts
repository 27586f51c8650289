// The operator's console: where each drop stands, which rows go on top, and the drop form's draft — what it shows, what
// a create sends, and, for an edit, only the fields the operator changed.
import type { CreateProductRequest, Problem, Product, UpdateProductRequest } from './api/client';
import type { DashboardRow } from './dashboard';

export type DropState = 'scheduled' | 'queue open' | 'on sale' | 'sold out' | 'ended';

const at = (iso: string | null | undefined) => (iso ? Date.parse(iso) : null);

/** Where a drop stands at `now` (server time): its sale window, its waiting room, and the stock the row last said. */
export function dropState(product: Product, row: DashboardRow | undefined, now: number): DropState {
  const ends = at(product.saleEndsAt);
  if (ends !== null && now >= ends) return 'ended';
  const starts = at(product.saleStartsAt);
  if (starts !== null && now < starts) {
    const opens = at(product.queueOpensAt);
    return product.queue && (opens === null || now >= opens) ? 'queue open' : 'scheduled';
  }
  const available = row?.availableStock ?? product.availableStock;
  return available === 0 && (row?.held ?? 0) === 0 ? 'sold out' : 'on sale';
}

/** A drop shoppers are in right now: its row is pinned to the top. */
export const isLive = (state: DropState) => state === 'queue open' || state === 'on sale';

/** The dashboard's rows, live drops first, each group in catalogue order. */
export function pinLive<T extends { state: DropState }>(rows: T[]): T[] {
  return [...rows.filter((r) => isLive(r.state)), ...rows.filter((r) => !isLive(r.state))];
}

/** The drop form as typed: every field a string (or a box), as the inputs hold it. */
export interface DropDraft {
  sku: string;
  name: string;
  description: string;
  imageUrl: string;
  price: string;
  currency: string;
  totalStock: string;
  stripes: string;
  saleStartsAt: string;
  saleEndsAt: string;
  maxPerShopper: string;
  queue: boolean;
  queueOpensAt: string;
  admissionSeconds: string;
}

export const EMPTY_DRAFT: DropDraft = {
  sku: '', name: '', description: '', imageUrl: '', price: '', currency: 'USD', totalStock: '', stripes: '1',
  saleStartsAt: '', saleEndsAt: '', maxPerShopper: '', queue: false, queueOpensAt: '', admissionSeconds: '60',
};

const pad = (n: number) => String(n).padStart(2, '0');

/** An instant as a datetime-local input shows it (the operator's time zone, to the second); '' for none. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A datetime-local input's value as an instant; null for an empty one. */
export function fromLocalInput(value: string): string | null {
  return value ? new Date(value).toISOString() : null;
}

/** How many minor units the currency has (USD 2, JPY 0). */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** "12.90" in USD → 1290; NaN when it is not a price. */
export function priceToMinor(price: string, currency: string): number {
  if (!/^\d+(\.\d+)?$/.test(price.trim())) return Number.NaN;
  return Math.round(Number(price) * 10 ** minorDigits(currency));
}

export const minorToPrice = (cents: number, currency: string) => (cents / 10 ** minorDigits(currency)).toFixed(minorDigits(currency));

/** "PT1M30S" → "90"; the API writes admission lengths as ISO-8601 durations. */
export function durationToSeconds(duration: string | undefined): string {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(duration ?? '');
  if (!m) return '';
  return String(Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0));
}

/** The form's draft of an existing product. */
export function draftOf(product: Product): DropDraft {
  return {
    sku: product.sku ?? '', name: product.name ?? '', description: product.description ?? '', imageUrl: product.imageUrl ?? '',
    price: minorToPrice(product.priceCents ?? 0, product.currency ?? 'USD'), currency: product.currency ?? 'USD',
    totalStock: String(product.totalStock ?? ''), stripes: String(product.stripes ?? 1),
    saleStartsAt: toLocalInput(product.saleStartsAt), saleEndsAt: toLocalInput(product.saleEndsAt),
    maxPerShopper: product.maxPerShopper == null ? '' : String(product.maxPerShopper), queue: product.queue ?? false,
    queueOpensAt: toLocalInput(product.queueOpensAt), admissionSeconds: durationToSeconds(product.admissionTtl),
  };
}

// What the server is sent as typed, so that its validation (and its error at the field) is the one rule: a number
// that is not one goes as the text, and the server names the field.
const numberOrText = (value: string): number => {
  const n = value.trim() === '' ? Number.NaN : Number(value);
  return (Number.isNaN(n) ? value : n) as number;
};
const seconds = (value: string) => `PT${value.trim()}S`;
const priceOrText = (price: string, currency: string): number => {
  const cents = priceToMinor(price, currency);
  return (Number.isNaN(cents) ? price : cents) as number;
};

/** What creating the drop sends: optional fields only when filled in. */
export function createRequest(d: DropDraft): CreateProductRequest {
  const request: CreateProductRequest = {
    sku: d.sku.trim(), name: d.name, priceCents: priceOrText(d.price, d.currency),
    totalStock: numberOrText(d.totalStock), currency: d.currency.trim().toUpperCase(), stripes: numberOrText(d.stripes), queue: d.queue,
  };
  if (d.description) request.description = d.description;
  if (d.imageUrl.trim()) request.imageUrl = d.imageUrl.trim();
  if (d.saleStartsAt) request.saleStartsAt = fromLocalInput(d.saleStartsAt) ?? undefined;
  if (d.saleEndsAt) request.saleEndsAt = fromLocalInput(d.saleEndsAt) ?? undefined;
  if (d.maxPerShopper.trim()) request.maxPerShopper = numberOrText(d.maxPerShopper);
  if (d.queue && d.queueOpensAt) request.queueOpensAt = fromLocalInput(d.queueOpensAt) ?? undefined;
  if (d.queue && d.admissionSeconds.trim()) request.admissionTtl = seconds(d.admissionSeconds);
  return request;
}

/** What editing sends: only the fields that differ from the product as it was read; an emptied field clears it. */
export function changedFields(before: DropDraft, after: DropDraft): UpdateProductRequest {
  const changes: Record<string, unknown> = {};
  const changed = (key: keyof DropDraft) => before[key] !== after[key];
  if (changed('name')) changes.name = after.name;
  if (changed('description')) changes.description = after.description;
  if (changed('imageUrl')) changes.imageUrl = after.imageUrl.trim() || null;
  if (changed('price')) changes.priceCents = priceOrText(after.price, after.currency);
  if (changed('saleStartsAt')) changes.saleStartsAt = fromLocalInput(after.saleStartsAt);
  if (changed('saleEndsAt')) changes.saleEndsAt = fromLocalInput(after.saleEndsAt);
  if (changed('maxPerShopper')) changes.maxPerShopper = after.maxPerShopper.trim() ? numberOrText(after.maxPerShopper) : null;
  if (changed('queue')) changes.queue = after.queue;
  if (changed('queueOpensAt')) changes.queueOpensAt = fromLocalInput(after.queueOpensAt);
  if (changed('admissionSeconds')) changes.admissionTtl = seconds(after.admissionSeconds);
  return changes as UpdateProductRequest;
}

/** The API's field names → the form's inputs. */
const INPUT_OF: Record<string, keyof DropDraft> = { priceCents: 'price', admissionTtl: 'admissionSeconds' };

/**
 * A refused save's problem, by the form's inputs: each violation at the field it names (SKU_TAKEN at the SKU), the
 * rest under the form.
 */
export function fieldErrors(problem: Problem): { fields: Partial<Record<keyof DropDraft, string>>; form: string | null } {
  const fields: Partial<Record<keyof DropDraft, string>> = {};
  const violations = Array.isArray(problem.violations) ? (problem.violations as { field?: string; message?: string }[]) : [];
  for (const v of violations) {
    const key = INPUT_OF[v.field ?? ''] ?? (v.field as keyof DropDraft);
    if (key && key in EMPTY_DRAFT && !fields[key]) fields[key] = v.message ?? 'is not valid';
  }
  if (problem.code === 'SKU_TAKEN') fields.sku = problem.detail ?? 'is taken';
  const placed = Object.keys(fields).length > 0;
  return { fields, form: placed ? null : (problem.detail ?? problem.title ?? 'The save was refused.') };
}

/** An audit record's action, as the console's log says it. */
export const ACTION_LABEL: Record<string, string> = {
  CREATE: 'Created', EDIT: 'Edited', RESTOCK: 'Restocked', END_SALE: 'Ended the sale', PAUSE: 'Paused admissions',
  RESUME: 'Resumed admissions', RESET: 'Reset the demo data',
};

const shown = (value: unknown) => (value === null || value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value));

/** What an audit record changed, one "field: before → after" a line; a creation lists what it was created with. */
export function describeChange(before: Record<string, unknown> | null | undefined, after: Record<string, unknown> | null | undefined): string[] {
  if (!after) return [];
  if (!before) return Object.entries(after).map(([field, value]) => `${field}: ${shown(value)}`);
  return Object.keys(after).map((field) => `${field}: ${shown(before[field])} → ${shown(after[field])}`);
}
