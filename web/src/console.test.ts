import { describe, expect, it } from 'vitest';
import type { Product } from './api/client';
import {
  changedFields, createRequest, draftOf, dropState, durationToSeconds, EMPTY_DRAFT, fieldErrors, fromLocalInput, pinLive,
  priceToMinor, toLocalInput,
} from './console';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const product = (p: Partial<Product>): Product => ({
  id: 'p1', sku: 'S-1', name: 'Runner', description: '', priceCents: 12900, currency: 'USD', availableStock: 5, totalStock: 10,
  stripes: 1, saleStartsAt: null, saleEndsAt: null, maxPerShopper: null, queue: false, queueOpensAt: null, admissionTtl: 'PT1M',
  drawSeed: null, ...p,
} as Product);

describe('dropState', () => {
  it('is scheduled before the sale, queue open once its waiting room opens, on sale, sold out, ended', () => {
    expect(dropState(product({ saleStartsAt: '2026-12-07T13:00:00Z' }), undefined, NOW)).toBe('scheduled');
    expect(dropState(product({ saleStartsAt: '2026-12-07T13:00:00Z', queue: true, queueOpensAt: '2026-12-07T12:30:00Z' }), undefined, NOW)).toBe('scheduled');
    expect(dropState(product({ saleStartsAt: '2026-12-07T13:00:00Z', queue: true, queueOpensAt: '2026-12-07T11:30:00Z' }), undefined, NOW)).toBe('queue open');
    expect(dropState(product({ saleStartsAt: '2026-12-07T13:00:00Z', queue: true }), undefined, NOW)).toBe('queue open');
    expect(dropState(product({ saleStartsAt: '2026-12-07T11:00:00Z' }), undefined, NOW)).toBe('on sale');
    expect(dropState(product({}), { availableStock: 0, held: 0 } as never, NOW)).toBe('sold out');
    expect(dropState(product({}), { availableStock: 0, held: 2 } as never, NOW)).toBe('on sale');
    expect(dropState(product({ saleEndsAt: '2026-12-07T12:00:00Z' }), undefined, NOW)).toBe('ended');
  });

  it('pins live drops to the top, each group in its order', () => {
    const rows = [{ id: 'a', state: 'ended' }, { id: 'b', state: 'on sale' }, { id: 'c', state: 'scheduled' }, { id: 'd', state: 'queue open' }] as const;
    expect(pinLive([...rows]).map((r) => r.id)).toEqual(['b', 'd', 'a', 'c']);
  });
});

describe('the drop form', () => {
  it('reads times in the operator\'s zone and back, to the second', () => {
    const iso = '2026-12-07T12:34:56.000Z';
    expect(fromLocalInput(toLocalInput(iso))).toBe(iso);
    expect(toLocalInput(null)).toBe('');
    expect(fromLocalInput('')).toBeNull();
  });

  it('turns prices into minor units of their currency, and durations into seconds', () => {
    expect(priceToMinor('12.90', 'USD')).toBe(1290);
    expect(priceToMinor('1500', 'JPY')).toBe(1500);
    expect(priceToMinor('12,90', 'USD')).toBeNaN();
    expect(durationToSeconds('PT1M30S')).toBe('90');
    expect(durationToSeconds('PT1H')).toBe('3600');
  });

  it('creates with the fields filled in, and leaves out the waiting room\'s when there is none', () => {
    const draft = { ...EMPTY_DRAFT, sku: ' D-1 ', name: 'Drop', price: '25', totalStock: '40', queueOpensAt: '2026-12-07T12:00:00' };
    expect(createRequest(draft)).toEqual({ sku: 'D-1', name: 'Drop', priceCents: 2500, totalStock: 40, currency: 'USD', stripes: 1, queue: false });
    const queued = createRequest({ ...draft, queue: true, admissionSeconds: '45', maxPerShopper: '2' });
    expect(queued.queueOpensAt).toBe(fromLocalInput('2026-12-07T12:00:00'));
    expect(queued.admissionTtl).toBe('PT45S');
    expect(queued.maxPerShopper).toBe(2);
    expect(createRequest({ ...draft, totalStock: 'many' }).totalStock).toBe('many');
  });

  it('edits by sending only what changed, one field at a time; emptying a field clears it', () => {
    const before = draftOf(product({ saleStartsAt: '2026-12-07T13:00:00Z', maxPerShopper: 2, imageUrl: 'https://x/y.png' }));
    expect(changedFields(before, before)).toEqual({});
    expect(changedFields(before, { ...before, price: '130.00' })).toEqual({ priceCents: 13000 });
    expect(changedFields(before, { ...before, name: 'Renamed' })).toEqual({ name: 'Renamed' });
    expect(changedFields(before, { ...before, maxPerShopper: '' })).toEqual({ maxPerShopper: null });
    expect(changedFields(before, { ...before, maxPerShopper: '4' })).toEqual({ maxPerShopper: 4 });
    expect(changedFields(before, { ...before, imageUrl: ' ' })).toEqual({ imageUrl: null });
    expect(changedFields(before, { ...before, saleStartsAt: '' })).toEqual({ saleStartsAt: null });
    expect(changedFields(before, { ...before, queue: true })).toEqual({ queue: true });
    expect(changedFields(before, { ...before, admissionSeconds: '30' })).toEqual({ admissionTtl: 'PT30S' });
  });

  it('places the server\'s refusals at the fields they name, the rest under the form', () => {
    expect(fieldErrors({ code: 'VALIDATION', violations: [{ field: 'priceCents', message: 'must be at least 0' }, { field: 'queueOpensAt', message: 'must be before saleStartsAt' }] } as never))
      .toEqual({ fields: { price: 'must be at least 0', queueOpensAt: 'must be before saleStartsAt' }, form: null });
    expect(fieldErrors({ code: 'SKU_TAKEN', detail: "a product with sku 'X' already exists" } as never).fields.sku).toContain('already exists');
    expect(fieldErrors({ code: 'VALIDATION', detail: 'saleStartsAt must be before saleEndsAt' } as never))
      .toEqual({ fields: {}, form: 'saleStartsAt must be before saleEndsAt' });
  });
});

describe('the audit log', () => {
  it('says what a change altered, field by field', async () => {
    const { describeChange } = await import('./console');
    expect(describeChange({ priceCents: 2500 }, { priceCents: 3000 })).toEqual(['priceCents: 2500 → 3000']);
    expect(describeChange({ saleEndsAt: null }, { saleEndsAt: '2026-12-07T12:00:00Z' })).toEqual(['saleEndsAt: — → 2026-12-07T12:00:00Z']);
    expect(describeChange(null, { sku: 'A', totalStock: 5 })).toEqual(['sku: A', 'totalStock: 5']);
    expect(describeChange(null, null)).toEqual([]);
  });
});
