import { describe, expect, it } from 'vitest';
import { addTick, HISTORY, queueSummary, sparkline, type DashboardMessage } from './dashboard';

const tick = (held: number, created: number): DashboardMessage => ({
  type: 'dashboard', at: '2026-01-01T00:00:00Z', intervalMillis: 1000,
  products: [{ productId: 'p', name: 'P', totalStock: 10, availableStock: 10 - held, held, sold: 0, createdPerSecond: created, expiredPerSecond: 0, expiryLagMillis: null }],
  resetAvailable: false,
});

describe('dashboard history', () => {
  it('keeps the last ticks per product, oldest first', () => {
    let history = {};
    for (let i = 0; i < HISTORY + 5; i++) history = addTick(history, tick(i % 10, i));
    const series = (history as Record<string, { created: number[]; held: number[] }>).p;
    expect(series.created).toHaveLength(HISTORY);
    expect(series.created[HISTORY - 1]).toBe(HISTORY + 4);
    expect(series.created[0]).toBe(5);
  });

  it('drops products that left the catalogue', () => {
    const history = addTick({ gone: { available: [1], held: [1], created: [1], expired: [1] } }, tick(1, 1));
    expect(Object.keys(history)).toEqual(['p']);
  });
});

describe('sparkline', () => {
  it('scales to the highest value, zero at the bottom', () => {
    expect(sparkline([0, 5, 10], 100, 20)).toBe('0.0,20.0 50.0,10.0 100.0,0.0');
  });

  it('draws a flat zero line at the bottom', () => {
    expect(sparkline([0, 0], 10, 8)).toBe('0.0,8.0 10.0,8.0');
  });
});

describe('queueSummary', () => {
  it('names the waiting room figures of a queued product and a dash for a product without one', () => {
    expect(queueSummary({ waiting: 12345, admitted: 40, lapsed: 7, admissionsPerSecond: 3.25, paused: false }))
      .toBe('12,345 waiting · 40 in · 7 lapsed · 3.3/s');
    expect(queueSummary({ waiting: 0, admitted: 0, lapsed: 0, admissionsPerSecond: 12.4, paused: false })).toBe('0 waiting · 0 in · 0 lapsed · 12/s');
    expect(queueSummary(undefined)).toBe('—');
  });
});
