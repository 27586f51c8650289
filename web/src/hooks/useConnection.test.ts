// @vitest-environment jsdom
import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import type { ConnectionFacts } from '../connection';
import { useIndicator, useReach } from './useConnection';

const unreachable = new ApiError({ title: 'Offline', status: 0, detail: 'Cannot reach the shop.', code: 'NETWORK' });
const refused = new ApiError({ title: 'Conflict', status: 409, detail: 'Only 3 left', code: 'OUT_OF_STOCK' });

describe('useReach', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  const render = () => {
    const toasts: string[] = [];
    let probes = 0;
    const view = renderHook(() => useReach((_, text) => void toasts.push(text), () => void probes++));
    return { ...view, toasts, probes: () => probes };
  };

  it('tells a refused call by the server\'s detail, and an unreachable shop by marking it silent, without a toast', () => {
    const { result, toasts } = render();
    act(() => result.current.fail(refused));
    expect(toasts).toEqual(['Only 3 left']);
    act(() => result.current.fail(new Error('boom')));
    expect(toasts).toEqual(['Only 3 left', 'Something went wrong']);
    act(() => result.current.fail(unreachable));
    expect(result.current.silent).toBe(true);
    expect(toasts).toHaveLength(2);
  });

  it('knocks every 2–3 s while the shop is silent, and stops once it answers', () => {
    const { result, probes } = render();
    act(() => vi.advanceTimersByTime(10_000));
    expect(probes()).toBe(0);
    act(() => result.current.setSilent(true));
    act(() => vi.advanceTimersByTime(1_999));
    expect(probes()).toBe(0);
    act(() => vi.advanceTimersByTime(1_001));
    expect(probes()).toBe(1);
    act(() => vi.advanceTimersByTime(3_000));
    expect(probes()).toBe(2);
    act(() => result.current.setSilent(false));
    act(() => vi.advanceTimersByTime(30_000));
    expect(probes()).toBe(2);
  });

  it('follows the device going offline and back; back online the shop is asked afresh', () => {
    const { result } = render();
    act(() => result.current.setSilent(true));
    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    act(() => void window.dispatchEvent(new Event('offline')));
    expect(result.current).toMatchObject({ online: false, silent: true });
    onLine.mockReturnValue(true);
    act(() => void window.dispatchEvent(new Event('online')));
    expect(result.current).toMatchObject({ online: true, silent: false });
  });
});

describe('useIndicator', () => {
  afterEach(cleanup);
  const facts: Omit<ConnectionFacts, 'beenLive'> = {
    online: true, shopSilent: false, stockStatus: 'connecting', holdStatus: 'connecting', synced: false, catalogueReady: false,
  };

  const render = () => {
    const shown: string[] = [];
    const dismissed: string[] = [];
    const view = renderHook((f: Omit<ConnectionFacts, 'beenLive'>) => useIndicator(f,
      (kind, text, key) => void shown.push(`${kind} ${key} ${text}`), (key) => void dismissed.push(key)), { initialProps: facts });
    return { ...view, shown, dismissed };
  };

  it('says Connecting… before the first Live, and Reconnecting… only after it', () => {
    const { result, rerender } = render();
    expect(result.current).toMatchObject({ connection: 'connecting', label: 'Connecting…', offline: false });
    rerender({ ...facts, stockStatus: 'reconnecting' });
    expect(result.current.label).toBe('Connecting…');
    const live = { ...facts, stockStatus: 'live', holdStatus: 'live', synced: true, catalogueReady: true } as const;
    rerender(live);
    expect(result.current.label).toBe('Live');
    rerender({ ...live, holdStatus: 'reconnecting', synced: false });
    expect(result.current.label).toBe('Reconnecting…');
  });

  it('pauses reserving while offline or not answering, with one keyed toast, gone when the shop is back', () => {
    const { result, rerender, shown, dismissed } = render();
    rerender({ ...facts, shopSilent: true });
    expect(result.current).toMatchObject({ offline: true, pausedLabel: 'Shop not answering', label: 'Not answering — retrying' });
    expect(shown).toEqual(['error offline The shop is not answering — retrying. Reserving is paused until it answers.']);
    rerender({ ...facts, online: false, shopSilent: true });
    expect(result.current).toMatchObject({ offline: true, pausedLabel: 'Offline' });
    expect(shown).toHaveLength(2);
    expect(shown[1]).toBe('error offline You are offline: reserving is paused until your connection is back.');
    rerender(facts);
    expect(result.current.offline).toBe(false);
    expect(dismissed.at(-1)).toBe('offline');
  });
});
