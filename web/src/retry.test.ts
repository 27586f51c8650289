import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RETRY_POLICY, Unanswered, backoffCeilingMs, backoffMs, retryAfterMs, sendWithRetries, type RetryNotice } from './retry';

const answer = (status: number, headers: Record<string, string> = {}) => new Response(status === 204 ? null : '{}', { status, headers });

/** A send that plays its script in order, one step per attempt, and records each attempt's signal. */
function scripted(...steps: (Response | 'network' | 'hang')[]) {
  const signals: AbortSignal[] = [];
  const send = (signal: AbortSignal): Promise<Response> => {
    signals.push(signal);
    const step = steps[Math.min(signals.length, steps.length) - 1];
    if (step === 'network') return Promise.reject(new TypeError('fetch failed'));
    if (step === 'hang') {
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    }
    return Promise.resolve(step.clone());
  };
  return { send, signals, attempts: () => signals.length };
}

describe('backoff', () => {
  it('doubles from 250 ms and is capped at 4 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => backoffCeilingMs(n))).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000, 4000]);
  });

  it('is full jitter: anywhere from 0 up to the ceiling, never past it', () => {
    expect(backoffMs(3, RETRY_POLICY, () => 0)).toBe(0);
    expect(backoffMs(3, RETRY_POLICY, () => 0.5)).toBe(500);
    expect(backoffMs(9, RETRY_POLICY, () => 0.999_999)).toBeLessThan(4000);
    for (let i = 0; i < 1000; i++) {
      const wait = backoffMs(1 + (i % 8));
      expect(wait).toBeGreaterThanOrEqual(0);
      expect(wait).toBeLessThan(backoffCeilingMs(1 + (i % 8)));
    }
  });
});

describe('Retry-After', () => {
  it('reads delta-seconds and an HTTP date (from the answer\'s own Date when it has one)', () => {
    expect(retryAfterMs('3', null, 0)).toBe(3000);
    expect(retryAfterMs(' 0 ', null, 0)).toBe(0);
    const date = 'Mon, 07 Dec 2026 05:00:00 GMT';
    expect(retryAfterMs('Mon, 07 Dec 2026 05:00:07 GMT', date, 0)).toBe(7000);
    // Without a Date header, from the device's clock; a date already past is "now".
    expect(retryAfterMs('Mon, 07 Dec 2026 05:00:07 GMT', null, Date.parse(date) + 2000)).toBe(5000);
    expect(retryAfterMs('Mon, 07 Dec 2026 04:00:00 GMT', date, 0)).toBe(0);
  });

  it('is nothing when absent or unreadable', () => {
    expect(retryAfterMs(null, null, 0)).toBeUndefined();
    expect(retryAfterMs('', null, 0)).toBeUndefined();
    expect(retryAfterMs('soon', null, 0)).toBeUndefined();
    expect(retryAfterMs('-1', null, 0)).toBeUndefined();
  });
});

describe('sendWithRetries', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  const noJitter = () => 0;

  it('returns a definite answer at once: success, a refusal, a bug', async () => {
    for (const status of [201, 200, 204, 400, 401, 404, 409, 410, 422, 500]) {
      const script = scripted(answer(status), answer(201));
      const notices: RetryNotice[] = [];
      const response = await sendWithRetries(script.send, { onRetry: (n) => notices.push(n) });
      expect(response.status).toBe(status);
      expect(script.attempts()).toBe(1);
      expect(notices).toEqual([]);
    }
  });

  it('retries a network error, 429, 502, 503 and 504 until the answer is definite, telling each retry', async () => {
    const script = scripted('network', answer(429), answer(502), answer(503), answer(504), answer(201));
    const notices: RetryNotice[] = [];
    const sent = sendWithRetries(script.send, { random: () => 1, onRetry: (n) => notices.push(n) });
    await vi.advanceTimersByTimeAsync(250 + 500 + 1000 + 2000 + 4000);
    expect((await sent).status).toBe(201);
    expect(script.attempts()).toBe(6);
    expect(notices).toEqual([
      { retry: 1, reason: 'network', delayMs: 250 }, { retry: 2, reason: 429, delayMs: 500 },
      { retry: 3, reason: 502, delayMs: 1000 }, { retry: 4, reason: 503, delayMs: 2000 }, { retry: 5, reason: 504, delayMs: 4000 },
    ]);
  });

  it('waits out the backoff before a retry, not a moment less', async () => {
    const script = scripted('network', 'network', answer(201));
    const sent = sendWithRetries(script.send, { random: () => 0.5 });
    await vi.advanceTimersByTimeAsync(124);
    expect(script.attempts()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(script.attempts()).toBe(2);
    await vi.advanceTimersByTimeAsync(249);
    expect(script.attempts()).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect((await sent).status).toBe(201);
  });

  it('never retries before Retry-After (seconds), and spreads the crowd after it by the jitter', async () => {
    const script = scripted(answer(503, { 'Retry-After': '3' }), answer(201));
    const notices: RetryNotice[] = [];
    const sent = sendWithRetries(script.send, { random: () => 0.5, onRetry: (n) => notices.push(n) });
    await vi.advanceTimersByTimeAsync(3000 + 124);
    expect(script.attempts()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await sent).status).toBe(201);
    expect(notices).toEqual([{ retry: 1, reason: 503, delayMs: 3125 }]);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const script = scripted(answer(429, { Date: 'Mon, 07 Dec 2026 05:00:00 GMT', 'Retry-After': 'Mon, 07 Dec 2026 05:00:02 GMT' }), answer(200));
    const sent = sendWithRetries(script.send, { random: noJitter });
    await vi.advanceTimersByTimeAsync(1999);
    expect(script.attempts()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await sent).status).toBe(200);
  });

  it('aborts an attempt with no answer after 5 s and retries it', async () => {
    const script = scripted('hang', answer(201));
    const notices: RetryNotice[] = [];
    const sent = sendWithRetries(script.send, { random: noJitter, onRetry: (n) => notices.push(n) });
    await vi.advanceTimersByTimeAsync(4999);
    expect(script.signals[0].aborted).toBe(false);
    expect(script.attempts()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(script.signals[0].aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(1); // the jitter's wait, 0 here
    expect((await sent).status).toBe(201);
    expect(notices).toEqual([{ retry: 1, reason: 'timeout', delayMs: 0 }]);
    expect(script.signals[1].aborted).toBe(false); // the answered attempt's timer was cleared
    await vi.advanceTimersByTimeAsync(10_000);
    expect(script.signals[1].aborted).toBe(false);
  });

  it('gives up when the 20 s budget is spent: unanswered throws, saying why', async () => {
    const script = scripted('network');
    const started = Date.now();
    let ended = 0;
    const sent = sendWithRetries(script.send, { random: () => 1 }).catch((e: unknown) => { ended = Date.now(); return e; });
    await vi.advanceTimersByTimeAsync(60_000);
    const error = await sent;
    expect(error).toBeInstanceOf(Unanswered);
    expect((error as Unanswered).reason).toBe('network');
    // Attempts at 0, 0.25, 0.75, 1.75, 3.75, 7.75, 11.75, 15.75 and 19.75 s; one more 4 s wait would pass 20 s.
    expect(script.attempts()).toBe(9);
    expect((error as Unanswered).attempts).toBe(9);
    expect(ended - started).toBe(19_750);
  });

  it('gives up on timeouts within the budget: no attempt runs on past it', async () => {
    const script = scripted('hang');
    const started = Date.now();
    let ended = 0;
    const sent = sendWithRetries(script.send, { random: noJitter }).catch((e: unknown) => { ended = Date.now(); return e; });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(((await sent) as Unanswered).reason).toBe('timeout');
    expect(script.attempts()).toBe(4); // 5 + 5 + 5 + 5 s, the last cut at the budget
    expect(ended - started).toBe(20_000);
  });

  it('gives up at once when Retry-After asks for longer than the budget has left, returning that answer', async () => {
    const script = scripted(answer(503, { 'Retry-After': '30' }), answer(201));
    const notices: RetryNotice[] = [];
    const response = await sendWithRetries(script.send, { onRetry: (n) => notices.push(n) });
    expect(response.status).toBe(503);
    expect(script.attempts()).toBe(1);
    expect(notices).toEqual([]);
  });

  it('returns the last retryable answer when the budget runs out', async () => {
    const script = scripted(answer(504));
    const sent = sendWithRetries(script.send, { random: () => 1 });
    await vi.advanceTimersByTimeAsync(60_000);
    expect((await sent).status).toBe(504);
    expect(script.attempts()).toBe(9);
  });
});
