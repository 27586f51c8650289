// The shop's rules the page shows (the hold length on every Reserve button, the stepper's maximum), as the server
// says them in GET /api/settings — never a constant in the page: a shop configured with a 60 s hold shows 1:00.
import type { ShopSettings } from './api/client';

export interface ShopRules {
  /** How long a new hold lasts: the hold TTL, unless the hold's max lifetime is shorter. */
  holdMs: number;
  /** Most units one reserve may ask for. */
  maxPerRequest: number;
}

const ISO_DURATION = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(-?\d+(?:\.\d+)?)H)?(?:(-?\d+(?:\.\d+)?)M)?(?:(-?\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds of an ISO-8601 duration as java.time.Duration writes it ("PT2M", "PT1M40S", "PT0.5S", "P1DT2H"). */
export function durationMs(text: string | undefined): number | null {
  const match = text ? ISO_DURATION.exec(text) : null;
  if (!match || text === 'P' || text?.endsWith('T')) return null;
  const [, days, hours, minutes, seconds] = match.map((part) => (part === undefined ? 0 : Number(part)));
  return Math.round((((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000);
}

/** The rules from the server's answer; null when it is not one the page can trust (then it asks again). */
export function rulesFrom(settings: ShopSettings): ShopRules | null {
  const ttl = durationMs(settings.holdTtl);
  const lifetime = durationMs(settings.holdMaxLifetime);
  const maxPerRequest = settings.maxPerRequest;
  if (ttl === null || ttl <= 0 || typeof maxPerRequest !== 'number' || maxPerRequest < 1) return null;
  return { holdMs: lifetime !== null && lifetime > 0 ? Math.min(ttl, lifetime) : ttl, maxPerRequest };
}
