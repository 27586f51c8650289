// The waiting room of a queued product, as this page shows it: the shopper's place (GET …/queue/me and the queue
// messages of /ws/shopper) and what the card and the waiting-room view say about it — from what the server said and
// server time only.
import type { Product, QueueTicket } from './api/client';
import type { QueueMessage } from './api/live';
import { formatCountdown } from './clock';
import { formatTime } from './format';
import { durationMs as readDuration } from './settings';

export type QueueState = NonNullable<QueueTicket['state']>;

/** The queue message of /ws/shopper (AsyncAPI): the REST ticket with a type. */
export type { QueueMessage };

/** The shopper's place in one product's queue, as the server last said it. */
export interface Ticket {
  productId: string;
  state: QueueState;
  position: number | null;
  ahead: number | null;
  estimatedWaitSeconds: number | null;
  admissionExpiresAt: string | null;
  joinedAt: string;
}

/** Not in the queue: never joined, or left (a late message about the place left must not bring it back). */
export interface NotInQueue {
  productId: string;
  state: 'NOT_IN_QUEUE';
  leftJoinedAt: string | null;
}

export type Place = Ticket | NotInQueue;

/** Admitted: the Reserve control's last seconds turn red and screen readers hear it once. */
export const ADMISSION_URGENT_MS = 15_000;

const STATES: readonly QueueState[] = ['WAITING', 'ADMITTED', 'RESERVED', 'LAPSED', 'SOLD_OUT'];

export function isQueueMessage(message: unknown): message is QueueMessage {
  const m = message as Partial<QueueMessage> | null;
  return typeof m === 'object' && m !== null && m.type === 'queue' && typeof m.productId === 'string'
    && STATES.includes(m.state as QueueState);
}

/** A ticket from the REST answer or a queue message (the same fields). */
export function ticketFrom(source: QueueTicket | QueueMessage): Ticket {
  return {
    productId: source.productId ?? '',
    state: source.state ?? 'WAITING',
    position: source.position ?? null,
    ahead: source.ahead ?? null,
    estimatedWaitSeconds: source.estimatedWaitSeconds ?? null,
    admissionExpiresAt: source.admissionExpiresAt ?? null,
    joinedAt: source.joinedAt ?? '',
  };
}

export const inPlay = (place: Place | undefined): boolean => place?.state === 'WAITING' || place?.state === 'ADMITTED';

/** WAITING, then ADMITTED, then one of the ends: a place only moves forward. */
const rank = (state: QueueState) => (state === 'WAITING' ? 0 : state === 'ADMITTED' ? 1 : 2);

/**
 * The place after news of it (a read or a message; they may arrive out of order). A place only moves forward, so an
 * older answer never takes it back: an end stays, ADMITTED never returns to WAITING, and while waiting the people
 * ahead only get fewer. A different joinedAt is another place (left and joined again): the newer one wins.
 */
export function mergeTicket(current: Place | undefined, incoming: Ticket): Place {
  if (!current) return incoming;
  if (current.state === 'NOT_IN_QUEUE') return current.leftJoinedAt === incoming.joinedAt ? current : incoming;
  if (current.joinedAt !== incoming.joinedAt) return Date.parse(incoming.joinedAt) > Date.parse(current.joinedAt) ? incoming : current;
  if (rank(incoming.state) < rank(current.state) || rank(current.state) === 2) return current;
  if (current.state === 'WAITING' && incoming.state === 'WAITING') {
    const position = incoming.position ?? current.position;
    if (current.ahead !== null && (incoming.ahead === null || incoming.ahead > current.ahead)) {
      return { ...current, position };
    }
    return { ...incoming, position };
  }
  return incoming;
}

const joinedAtOf = (place: Place | undefined): string | null =>
  !place ? null : place.state === 'NOT_IN_QUEUE' ? place.leftJoinedAt : place.joinedAt;

/**
 * The place after a read of GET …/queue/me (a ticket, or 404 NOT_IN_QUEUE). A "not in the queue" answer is taken
 * only if nothing changed here while it was in flight (a join, a leave, a message), since it cannot be ordered
 * against them; a ticket merges as news (see mergeTicket).
 */
export function readPlace(current: Place | undefined, productId: string, read: Ticket | null, changedMeanwhile: boolean): Place {
  if (read) return mergeTicket(current, read);
  if (changedMeanwhile && current) return current;
  return { productId, state: 'NOT_IN_QUEUE', leftJoinedAt: joinedAtOf(current) };
}

/** The place after leaving: not in the queue, and news of the place left is ignored. */
export function leftPlace(current: Place | undefined, productId: string): Place {
  return { productId, state: 'NOT_IN_QUEUE', leftJoinedAt: joinedAtOf(current) };
}

/**
 * How far through the queue the shopper is: the share of the people placed ahead (position − 1: numbers are handed
 * out in order and never reused) who are no longer waiting ahead. 1 at the front.
 */
export function queueProgress(position: number, ahead: number): number {
  if (position <= 1) return 1;
  return Math.min(1, Math.max(0, (position - 1 - ahead) / (position - 1)));
}

/** The estimated wait in words; null while the server cannot estimate it (before anyone was admitted). */
export function formatWait(seconds: number | null): string | null {
  if (seconds === null) return null;
  if (seconds <= 0) return 'any moment now';
  if (seconds < 60) return 'under a minute';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min`;
  return `about ${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** An ISO-8601 duration ("PT1M", "PT90S", "PT1M30.5S") in ms; NaN if it is not one. Read by settings.ts' durationMs. */
export function durationMs(iso: string | null | undefined): number {
  return readDuration(iso ?? undefined) ?? Number.NaN;
}

/** Where the shopper stands, for the waiting-room view. */
export type RoomView =
  | { kind: 'unknown' }
  | { kind: 'out'; opensAt: string | null }
  | { kind: 'draw'; saleOpensInMs: number }
  | { kind: 'waiting'; position: number; ahead: number; progress: number; wait: string | null }
  | { kind: 'admitted'; leftMs: number; fraction: number }
  | { kind: 'expired' }
  | { kind: 'reserved' }
  | { kind: 'lapsed' }
  | { kind: 'soldOut' };

/** What the waiting-room view shows for a place at the given server time. */
export function roomView(place: Place | undefined, product: Pick<Product, 'saleStartsAt' | 'queueOpensAt' | 'admissionTtl'>, serverNow: number): RoomView {
  if (!place) return { kind: 'unknown' };
  switch (place.state) {
    case 'NOT_IN_QUEUE': {
      const opens = product.queueOpensAt && Date.parse(product.queueOpensAt) > serverNow ? product.queueOpensAt : null;
      return { kind: 'out', opensAt: opens };
    }
    case 'WAITING': {
      if (place.position === null) {
        const starts = product.saleStartsAt ? Date.parse(product.saleStartsAt) : serverNow;
        return { kind: 'draw', saleOpensInMs: Math.max(0, starts - serverNow) };
      }
      const ahead = place.ahead ?? Math.max(0, place.position - 1);
      return { kind: 'waiting', position: place.position, ahead, progress: queueProgress(place.position, ahead), wait: formatWait(place.estimatedWaitSeconds) };
    }
    case 'ADMITTED': {
      const leftMs = Math.max(0, Date.parse(place.admissionExpiresAt ?? '') - serverNow) || 0;
      if (leftMs <= 0) return { kind: 'expired' };
      const ttl = durationMs(product.admissionTtl);
      return { kind: 'admitted', leftMs, fraction: ttl > 0 ? Math.min(1, leftMs / ttl) : 1 };
    }
    case 'RESERVED':
      return { kind: 'reserved' };
    case 'LAPSED':
      return { kind: 'lapsed' };
    case 'SOLD_OUT':
      return { kind: 'soldOut' };
  }
}

/**
 * What a queued product's card says and does. action: 'join' joins; 'open' opens the waiting room; 'reserve' is the
 * usual Reserve (admitted, or adding to a hold the shopper has); 'none' is a closed control.
 */
export interface QueueCard {
  action: 'join' | 'open' | 'reserve' | 'none';
  label: string;
  note: string | null;
  urgent: boolean;
}

export function queueCard(
  place: Place | undefined,
  product: Pick<Product, 'saleStartsAt' | 'queueOpensAt' | 'admissionTtl'>,
  { soldOut, saleEnded, holding, serverNow }: { soldOut: boolean; saleEnded: boolean; holding: boolean; serverNow: number },
): QueueCard {
  const card = (action: QueueCard['action'], label: string, note: string | null = null, urgent = false): QueueCard => ({ action, label, note, urgent });
  if (holding) return card('reserve', '');
  const view = roomView(place, product, serverNow);
  switch (view.kind) {
    case 'unknown':
      return card('none', 'Join the waiting room');
    case 'out':
      if (saleEnded) return card('none', 'Sale ended');
      if (soldOut) return card('none', 'Sold out');
      if (view.opensAt) return card('none', `Join from ${formatTime(view.opensAt)}`, `Waiting room opens at ${formatTime(view.opensAt)}`);
      return card('join', 'Join the waiting room');
    case 'draw':
      return card('open', 'Waiting room · in the draw', view.saleOpensInMs > 0 ? 'Drawn at random when the sale opens' : 'Drawing places…');
    case 'waiting':
      return card('open', `Waiting room · #${view.position}`,
        view.ahead === 0 ? "You're next" : `${view.ahead} ahead${view.wait ? ` · ${view.wait}` : ''}`);
    case 'admitted':
      return card('reserve', '', `You're in — reserve within ${formatCountdown(view.leftMs)}`, view.leftMs <= ADMISSION_URGENT_MS);
    case 'expired':
      return card('none', 'Turn expired', 'Your turn to reserve ran out', true);
    case 'reserved':
      return card('none', 'Turn used', 'Your waiting-room turn was used');
    case 'lapsed':
      return card('none', 'Turn lapsed', 'Not reserved in time');
    case 'soldOut':
      return card('none', 'Sold out', 'It sold out before your turn');
  }
}

/** A place of the published draw (GET …/queue/draw). */
export interface DrawPlace {
  position: number;
  key: string;
}

/** Whether this browser can compute draw keys: Web Crypto, only on pages served over HTTPS or from localhost. */
export const canComputeDrawKeys = (): boolean => Boolean(globalThis.crypto?.subtle);

/**
 * The key the draw's published recipe gives a shopper: SHA-256 of the UTF-8 bytes of the seed followed by the
 * shopper's id, as 64 lowercase hex digits (where {@link canComputeDrawKeys}).
 */
export async function drawKey(seed: string, shopperId: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(seed + shopperId));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Whether a page of the published draw confirms the shopper's place: their own key is the one published at their
 * position, and the keys of the page ascend with the positions (so nobody around them was moved).
 */
export function confirmsPlace(places: readonly DrawPlace[], position: number, key: string): boolean {
  const ascending = places.every((place, i) => i === 0 || (places[i - 1].position < place.position && places[i - 1].key < place.key));
  return ascending && places.some((place) => place.position === position && place.key === key);
}
