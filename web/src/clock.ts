// Server time, as this page knows it. The offset is measured from the Date header of API responses (and the
// snapshot's serverTime), so a wrong laptop clock does not make countdowns lie.

/** Offset (server − local) in ms from one round trip: the server's clock is assumed read mid-flight. */
export function measureOffset(serverTime: number, sentAt: number, receivedAt: number): number {
  return serverTime - (sentAt + receivedAt) / 2;
}

/**
 * Keeps the most certain offset seen. A reading's uncertainty is half its round trip plus half the resolution of the
 * server's timestamp: a Date header counts whole seconds (±500 ms), a snapshot's serverTime is exact to the
 * millisecond but may wait up to one coalesce tick (~100 ms) before it is sent.
 */
export class ServerClock {
  private offset = 0;
  private uncertainty = Number.POSITIVE_INFINITY;

  /** From a Date header: whole seconds, read somewhere between sentAt and receivedAt. */
  observe(serverTime: number, sentAt: number, receivedAt: number): void {
    this.consider(serverTime + 500, sentAt, receivedAt, 500);
  }

  /** From a precise server timestamp (a snapshot's serverTime) taken up to ~100 ms before it arrived. */
  observeExact(serverTime: number, receivedAt: number): void {
    this.consider(serverTime, receivedAt - 100, receivedAt, 0);
  }

  private consider(serverTime: number, sentAt: number, receivedAt: number, halfResolution: number): void {
    const roundTrip = receivedAt - sentAt;
    if (!Number.isFinite(serverTime) || roundTrip < 0) return;
    const uncertainty = roundTrip / 2 + halfResolution;
    if (uncertainty <= this.uncertainty) {
      this.uncertainty = uncertainty;
      this.offset = measureOffset(serverTime, sentAt, receivedAt);
    }
  }

  offsetMs(): number {
    return this.offset;
  }

  now(local: number = Date.now()): number {
    return local + this.offset;
  }
}

/** Milliseconds left until expiresAt by the server's clock, never below zero. */
export function remainingMs(expiresAt: string, clock: ServerClock, local: number = Date.now()): number {
  return Math.max(0, Date.parse(expiresAt) - clock.now(local));
}

/** m:ss, rounding up so "0:00" shows only when the time is really up. */
export function formatCountdown(ms: number): string {
  const totalSeconds = Math.ceil(ms / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `${minutes}:${seconds.toString().padStart(2, '0')}`;
}

/** A hold's last seconds: its countdown turns red, Pay says "Pay now", screen readers hear it once. */
export const URGENT_MS = 30_000;
