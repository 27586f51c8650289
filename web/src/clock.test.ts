import { describe, expect, it } from 'vitest';
import { formatCountdown, measureOffset, remainingMs, ServerClock } from './clock';

describe('server clock', () => {
  it('measures the offset from the middle of the round trip', () => {
    expect(measureOffset(10_500, 1_000, 1_200)).toBe(9_400);
  });

  it('keeps the most certain reading', () => {
    const clock = new ServerClock();
    clock.observe(100_000, 0, 400); // Date header, slow trip: ±700
    clock.observe(101_000, 1_000, 1_020); // Date header, fast trip: ±510, centred on the second
    expect(clock.offsetMs()).toBe(101_500 - 1_010);
    clock.observe(500_000, 2_000, 3_000); // slow: ignored
    expect(clock.offsetMs()).toBe(100_490);
    clock.observeExact(104_000, 3_500); // a snapshot's serverTime: ±50, wins
    expect(clock.offsetMs()).toBe(104_000 - 3_450);
    clock.observe(105_000, 4_000, 4_000); // an instant Date header is still ±500: ignored
    expect(clock.offsetMs()).toBe(100_550);
  });

  it('counts down by the server clock even when the local clock is wrong', () => {
    const clock = new ServerClock();
    const localNow = Date.parse('2026-01-01T00:00:00Z');
    // The laptop is 5 minutes slow: a snapshot stamped 00:04:59.950 arrives (taken ~50 ms before, on average).
    clock.observeExact(Date.parse('2026-01-01T00:04:59.950Z'), localNow);
    expect(remainingMs('2026-01-01T00:06:30Z', clock, localNow)).toBe(90_000);
    expect(remainingMs('2026-01-01T00:04:00Z', clock, localNow)).toBe(0);
  });
});

describe('countdown format', () => {
  it('shows m:ss and reaches 0:00 only at zero', () => {
    expect(formatCountdown(120_000)).toBe('2:00');
    expect(formatCountdown(61_001)).toBe('1:02');
    expect(formatCountdown(1)).toBe('0:01');
    expect(formatCountdown(0)).toBe('0:00');
  });
});
