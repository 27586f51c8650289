// The one home of how the page retries a call whose answer it did not get (issue 28). Only calls that are safe to
// repeat come here: a reserve carrying its intent's Idempotency-Key (the server replays the first answer), pay and
// release (repeating answers the same 200), joining a waiting room (joining again keeps the place) and leaving one.

export interface RetryPolicy {
  /** An attempt still unanswered after this long is aborted, and counts as an answer lost. */
  attemptTimeoutMs: number;
  /** From the first attempt on: no wait ends and no attempt runs past this; then the page gives up. */
  budgetMs: number;
  /** The backoff before retry n (1, 2, …) is random in [0, min(capMs, baseMs · 2^(n−1))]: "full jitter". */
  baseMs: number;
  capMs: number;
}

/** 5 s an attempt, at most 20 s in all; waits of up to 0.25, 0.5, 1, 2, 4, 4 … s. */
export const RETRY_POLICY: RetryPolicy = { attemptTimeoutMs: 5_000, budgetMs: 20_000, baseMs: 250, capMs: 4_000 };

/** "Not now" rather than "no": too many requests (429) and what a gateway or an overloaded shop says (502–504). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** Why an attempt is being retried: no answer at all, none in time, or a status that asks to try again. */
export type RetryReason = 'network' | 'timeout' | number;

export interface RetryNotice {
  /** 1 for the first retry. */
  retry: number;
  reason: RetryReason;
  /** How long the page waits before that retry. */
  delayMs: number;
}

/** Every attempt went unanswered (the last one for `reason`): whether the request took effect is unknown. */
export class Unanswered extends Error {
  constructor(readonly reason: 'network' | 'timeout', readonly attempts: number) {
    super(reason === 'timeout' ? 'The shop did not answer in time' : 'The shop could not be reached');
  }
}

/**
 * A new intent's Idempotency-Key: a random UUID. `crypto.randomUUID` exists only in a secure context (HTTPS,
 * localhost); elsewhere the same version-4 UUID is made from `crypto.getRandomValues`, which exists everywhere.
 */
export function intentKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The longest wait before retry n: the backoff's cap, doubling from baseMs. */
export const backoffCeilingMs = (retry: number, policy: RetryPolicy = RETRY_POLICY): number =>
  Math.min(policy.capMs, policy.baseMs * 2 ** (retry - 1));

/** The wait before retry n: full jitter, so a crowd that failed together does not come back together. */
export const backoffMs = (retry: number, policy: RetryPolicy = RETRY_POLICY, random: () => number = Math.random): number =>
  random() * backoffCeilingMs(retry, policy);

/**
 * `Retry-After` in ms (RFC 9110 §10.2.3): delta-seconds, or an HTTP date counted from the answer's own `Date` (both
 * by the shop's clock, so a wrong device clock does not matter) or, without one, from `now`. Undefined when absent or
 * unreadable.
 */
export function retryAfterMs(value: string | null, date: string | null, now: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1_000;
  const at = /^[A-Za-z]{3}, /.test(text) ? Date.parse(text) : Number.NaN; // "Sun, 06 Nov 1994 08:49:37 GMT"

  if (Number.isNaN(at)) return undefined;
  const from = date ? Date.parse(date) : Number.NaN;
  return Math.max(0, at - (Number.isNaN(from) ? now : from));
}

export interface RetryOptions {
  policy?: RetryPolicy;
  random?: () => number;
  /** Told before each wait for a retry (the card says "Trying again…"). */
  onRetry?: (notice: RetryNotice) => void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends until an answer says what happened. `send` makes one attempt (the same request each time: a reserve's key
 * is in it); its signal aborts the attempt after `attemptTimeoutMs`. A network error, a timeout and the statuses in
 * RETRYABLE_STATUSES are retried after the backoff — never sooner than the answer's `Retry-After`, spread by the same
 * jitter — until the budget is spent; any other answer (2xx, 409, other 4xx, 500) is definite and returned. Past the
 * budget (or when the wait asked for would pass it) the last answer is returned, or, if there was none, Unanswered
 * is thrown.
 */
export async function sendWithRetries(send: (signal: AbortSignal) => Promise<Response>, options: RetryOptions = {}): Promise<Response> {
  const policy = options.policy ?? RETRY_POLICY;
  const random = options.random ?? Math.random;
  const deadline = Date.now() + policy.budgetMs;
  for (let attempt = 1; ; attempt++) {
    const aborter = new AbortController();
    const timedOut = { yes: false };
    const timer = setTimeout(() => {
      timedOut.yes = true;
      aborter.abort();
    }, Math.min(policy.attemptTimeoutMs, Math.max(0, deadline - Date.now())));
    let response: Response | undefined;
    let reason: RetryReason;
    try {
      response = await send(aborter.signal);
      reason = response.status;
    } catch {
      reason = timedOut.yes ? 'timeout' : 'network';
    } finally {
      clearTimeout(timer);
    }
    if (response && !RETRYABLE_STATUSES.has(response.status)) return response;
    const asked = response ? retryAfterMs(response.headers.get('Retry-After'), response.headers.get('Date'), Date.now()) : undefined;
    const delayMs = (asked ?? 0) + backoffMs(attempt, policy, random);
    if (Date.now() + delayMs >= deadline) {
      if (response) return response;
      throw new Unanswered(reason as 'network' | 'timeout', attempt);
    }
    response?.body?.cancel().catch(() => {}); // the retried answer's body is not read: free its connection
    options.onRetry?.({ retry: attempt, reason, delayMs });
    await sleep(delayMs);
  }
}
