// @vitest-environment jsdom
import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TICK_MS, useClock } from './useClock';

describe('useClock', () => {
  beforeEach(() => vi.useFakeTimers({ now: Date.parse('2026-12-07T10:00:00Z') }));
  afterEach(() => vi.useRealTimers());

  it('ticks four times a second with the local time', () => {
    const { result } = renderHook(() => useClock());
    const start = result.current.now;
    act(() => vi.advanceTimersByTime(TICK_MS - 1));
    expect(result.current.now).toBe(start);
    act(() => vi.advanceTimersByTime(1));
    expect(result.current.now).toBe(start + TICK_MS);
    act(() => vi.advanceTimersByTime(3 * TICK_MS));
    expect(result.current.now).toBe(start + 4 * TICK_MS);
  });

  it('keeps one server clock, whose measured offset the next tick shows', () => {
    const { result } = renderHook(() => useClock());
    const clock = result.current.clock;
    expect(result.current.serverNow).toBe(result.current.now);
    // A snapshot says the server's clock is about 90 s ahead of this laptop's.
    act(() => clock.observeExact(Date.now() + 90_000, Date.now()));
    act(() => vi.advanceTimersByTime(TICK_MS));
    expect(result.current.clock).toBe(clock);
    expect(clock.offsetMs()).toBeGreaterThan(89_000);
    expect(result.current.serverNow - result.current.now).toBe(clock.offsetMs());
  });

  it('stops ticking when the page goes', () => {
    const { unmount } = renderHook(() => useClock());
    expect(vi.getTimerCount()).toBe(1);
    unmount();
    expect(vi.getTimerCount()).toBe(0);
  });
});
