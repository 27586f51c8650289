import { describe, expect, it } from 'vitest';
import { durationMs, rulesFrom } from './settings';

describe('shop settings', () => {
  it('read ISO-8601 durations as java.time.Duration writes them', () => {
    expect(durationMs('PT2M')).toBe(120_000);
    expect(durationMs('PT1M')).toBe(60_000);
    expect(durationMs('PT1M40S')).toBe(100_000);
    expect(durationMs('PT6S')).toBe(6_000);
    expect(durationMs('PT0.5S')).toBe(500);
    expect(durationMs('PT1H')).toBe(3_600_000);
    expect(durationMs('P1DT2H')).toBe(93_600_000);
  });

  it('refuse what is not a duration', () => {
    for (const text of ['', 'P', 'PT', '120', '2:00', 'PT2X', undefined]) expect(durationMs(text)).toBeNull();
  });

  it('give the hold length a new hold gets: the TTL, or the max lifetime when shorter', () => {
    expect(rulesFrom({ holdTtl: 'PT1M', holdMaxLifetime: 'PT3M', maxPerRequest: 4 })).toEqual({ holdMs: 60_000, maxPerRequest: 4 });
    expect(rulesFrom({ holdTtl: 'PT2M', holdMaxLifetime: 'PT1M30S', maxPerRequest: 10 })).toEqual({ holdMs: 90_000, maxPerRequest: 10 });
  });

  it('are not trusted when incomplete, so the page asks again rather than guess', () => {
    expect(rulesFrom({ holdTtl: 'PT2M', holdMaxLifetime: 'PT6M' } as never)).toBeNull();
    expect(rulesFrom({ holdTtl: 'soon', holdMaxLifetime: 'PT6M', maxPerRequest: 10 })).toBeNull();
    expect(rulesFrom({ holdTtl: 'PT0S', holdMaxLifetime: 'PT6M', maxPerRequest: 10 })).toBeNull();
  });
});
