// The operator's dashboard state: the latest figures per product, and a short history for the small charts.
import type { DashboardMessage, DashboardQueue } from './api/live';

// The messages of /ws/admin, generated from the AsyncAPI document (src/api/live.d.ts).
export type { DashboardMessage, DashboardRow } from './api/live';

export interface Series {
  available: number[];
  held: number[];
  created: number[];
  expired: number[];
}

export const HISTORY = 60;

const push = (values: number[] | undefined, value: number) => [...(values ?? []), value].slice(-HISTORY);

/** Appends one tick's figures to each product's series (the last HISTORY ticks). */
export function addTick(history: Record<string, Series>, message: DashboardMessage): Record<string, Series> {
  const next: Record<string, Series> = {};
  for (const row of message.products) {
    const before = history[row.productId];
    next[row.productId] = {
      available: push(before?.available, row.availableStock),
      held: push(before?.held, row.held),
      created: push(before?.created, row.createdPerSecond),
      expired: push(before?.expired, row.expiredPerSecond),
    };
  }
  return next;
}

/** SVG polyline points for values in a width × height box (the highest value, or 1, at the top). */
export function sparkline(values: number[], width: number, height: number): string {
  if (values.length === 0) return '';
  const top = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return values.map((v, i) => `${(i * step).toFixed(1)},${(height - (v / top) * height).toFixed(1)}`).join(' ');
}

/** A queued product's waiting room in one line (waiting, open admissions, lapsed, admissions a second); '—' without one. */
export function queueSummary(queue: DashboardQueue | undefined): string {
  if (!queue) return '—';
  const rate = queue.admissionsPerSecond.toFixed(queue.admissionsPerSecond < 10 ? 1 : 0);
  return `${queue.waiting.toLocaleString('en-US')} waiting · ${queue.admitted} in · ${queue.lapsed} lapsed · ${rate}/s`;
}
