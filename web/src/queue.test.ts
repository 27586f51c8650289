import { describe, expect, it } from 'vitest';
import {
  confirmsPlace, drawKey, durationMs, formatWait, isQueueMessage, leftPlace, mergeTicket, queueCard, queueProgress, readPlace, roomView,
  ticketFrom, type Ticket,
} from './queue';

const joinedAt = '2026-12-01T17:59:00Z';
const ticket = (fields: Partial<Ticket>): Ticket => ({
  productId: 'p', state: 'WAITING', position: null, ahead: null, estimatedWaitSeconds: null, admissionExpiresAt: null, joinedAt, ...fields,
});
const at = Date.parse('2026-12-01T18:00:00Z');
const product = { saleStartsAt: '2026-12-01T18:00:00Z', queueOpensAt: '2026-12-01T17:30:00Z', admissionTtl: 'PT1M' };

describe('queue messages', () => {
  it('knows the queue message of the contract, and nothing else', () => {
    const message = { type: 'queue', productId: 'p', state: 'ADMITTED', position: 3, ahead: 0, estimatedWaitSeconds: 0, admissionExpiresAt: '2026-12-01T18:01:00Z', joinedAt };
    expect(isQueueMessage(message)).toBe(true);
    expect(ticketFrom(message as never)).toEqual(ticket({ state: 'ADMITTED', position: 3, ahead: 0, estimatedWaitSeconds: 0, admissionExpiresAt: '2026-12-01T18:01:00Z' }));
    expect(isQueueMessage({ type: 'hold', change: 'CREATED', id: 'h', productId: 'p' })).toBe(false);
    expect(isQueueMessage({ ...message, state: 'GONE' })).toBe(false);
    expect(isQueueMessage(null)).toBe(false);
  });
});

describe('a place only moves forward', () => {
  it('never goes back from ADMITTED to WAITING, nor from an end', () => {
    const admitted = ticket({ state: 'ADMITTED', position: 3, ahead: 0, admissionExpiresAt: '2026-12-01T18:01:00Z' });
    expect(mergeTicket(admitted, ticket({ position: 3, ahead: 1 }))).toBe(admitted);
    const lapsed = ticket({ state: 'LAPSED', position: 3 });
    expect(mergeTicket(lapsed, admitted)).toBe(lapsed);
    expect(mergeTicket(lapsed, ticket({ state: 'SOLD_OUT', position: 3 }))).toBe(lapsed);
    expect(mergeTicket(admitted, lapsed)).toBe(lapsed);
  });

  it('while waiting, the people ahead only get fewer; the position, once drawn, stays', () => {
    const placed = mergeTicket(ticket({}), ticket({ position: 57, ahead: 41, estimatedWaitSeconds: 90 }));
    expect(placed).toMatchObject({ position: 57, ahead: 41, estimatedWaitSeconds: 90 });
    const older = mergeTicket(placed, ticket({ position: 57, ahead: 44, estimatedWaitSeconds: 100 }));
    expect(older).toMatchObject({ ahead: 41, estimatedWaitSeconds: 90 });
    expect(mergeTicket(older, ticket({ position: 57, ahead: 12, estimatedWaitSeconds: 30 }))).toMatchObject({ ahead: 12, estimatedWaitSeconds: 30 });
    expect(mergeTicket(placed, ticket({}))).toMatchObject({ position: 57, ahead: 41 });
  });

  it('takes a newer place (left and joined again), never an older one', () => {
    const first = ticket({ state: 'ADMITTED', position: 2 });
    const again = ticket({ position: null, joinedAt: '2026-12-01T18:05:00Z' });
    expect(mergeTicket(first, again)).toBe(again);
    expect(mergeTicket(again, first)).toBe(again);
  });

  it('once left, late news of the place left does not bring it back; a new join does', () => {
    const left = leftPlace(ticket({ position: 4, ahead: 2 }), 'p');
    expect(left).toEqual({ productId: 'p', state: 'NOT_IN_QUEUE', leftJoinedAt: joinedAt });
    expect(mergeTicket(left, ticket({ position: 4, ahead: 1 }))).toBe(left);
    const rejoined = ticket({ joinedAt: '2026-12-01T18:06:00Z' });
    expect(mergeTicket(left, rejoined)).toBe(rejoined);
  });

  it('takes "not in the queue" from a read only if nothing changed here while it was in flight', () => {
    const joined = ticket({});
    expect(readPlace(joined, 'p', null, true)).toBe(joined);
    expect(readPlace(joined, 'p', null, false)).toEqual({ productId: 'p', state: 'NOT_IN_QUEUE', leftJoinedAt: joinedAt });
    expect(readPlace(undefined, 'p', null, false)).toEqual({ productId: 'p', state: 'NOT_IN_QUEUE', leftJoinedAt: null });
    expect(readPlace(undefined, 'p', joined, true)).toBe(joined);
  });
});

describe('what the waiting room says', () => {
  it('before the draw: in the draw, counting down to the sale by server time', () => {
    expect(roomView(ticket({}), product, at - 65_000)).toEqual({ kind: 'draw', saleOpensInMs: 65_000 });
    expect(roomView(ticket({}), product, at + 200)).toEqual({ kind: 'draw', saleOpensInMs: 0 });
  });

  it('placed: the place, the people ahead, the way through the queue and the estimated wait', () => {
    expect(roomView(ticket({ position: 4, ahead: 2, estimatedWaitSeconds: 150 }), product, at)).toEqual({
      kind: 'waiting', position: 4, ahead: 2, progress: 1 / 3, wait: 'about 3 min',
    });
    expect(roomView(ticket({ position: 1, ahead: 0, estimatedWaitSeconds: 0 }), product, at)).toMatchObject({ progress: 1, wait: 'any moment now' });
  });

  it('admitted: the time left of the admission, and expired exactly at zero', () => {
    const admitted = ticket({ state: 'ADMITTED', position: 1, admissionExpiresAt: '2026-12-01T18:01:00Z' });
    expect(roomView(admitted, product, at + 15_000)).toEqual({ kind: 'admitted', leftMs: 45_000, fraction: 0.75 });
    expect(roomView(admitted, product, at + 59_999)).toMatchObject({ kind: 'admitted', leftMs: 1 });
    expect(roomView(admitted, product, at + 60_000)).toEqual({ kind: 'expired' });
  });

  it('not in the queue: when joining opens, if it has not yet', () => {
    const out = { productId: 'p', state: 'NOT_IN_QUEUE', leftJoinedAt: null } as const;
    expect(roomView(out, product, Date.parse('2026-12-01T17:00:00Z'))).toEqual({ kind: 'out', opensAt: product.queueOpensAt });
    expect(roomView(out, product, Date.parse('2026-12-01T17:45:00Z'))).toEqual({ kind: 'out', opensAt: null });
    expect(roomView(undefined, product, at)).toEqual({ kind: 'unknown' });
  });

  it('the ends', () => {
    expect(roomView(ticket({ state: 'RESERVED', position: 1 }), product, at).kind).toBe('reserved');
    expect(roomView(ticket({ state: 'LAPSED', position: 1 }), product, at).kind).toBe('lapsed');
    expect(roomView(ticket({ state: 'SOLD_OUT', position: 9 }), product, at).kind).toBe('soldOut');
  });
});

describe('what a queued product\'s card says', () => {
  const open = { soldOut: false, saleEnded: false, holding: false, serverNow: at };
  const out = { productId: 'p', state: 'NOT_IN_QUEUE', leftJoinedAt: null } as const;

  it('joins, or says when joining opens; sold out and ended say so', () => {
    expect(queueCard(out, product, open)).toMatchObject({ action: 'join', label: 'Join the waiting room' });
    expect(queueCard(out, product, { ...open, serverNow: Date.parse('2026-12-01T17:00:00Z') }))
      .toMatchObject({ action: 'none', label: expect.stringMatching(/^Join from /), note: expect.stringMatching(/^Waiting room opens at /) });
    expect(queueCard(out, product, { ...open, soldOut: true })).toMatchObject({ action: 'none', label: 'Sold out' });
    expect(queueCard(out, product, { ...open, saleEnded: true })).toMatchObject({ action: 'none', label: 'Sale ended' });
    expect(queueCard(undefined, product, open)).toMatchObject({ action: 'none', label: 'Join the waiting room' });
  });

  it('waiting: opens the room, with the place on the button and the people ahead in the note', () => {
    expect(queueCard(ticket({}), product, { ...open, serverNow: at - 1_000 }))
      .toMatchObject({ action: 'open', label: 'Waiting room · in the draw', note: 'Drawn at random when the sale opens' });
    expect(queueCard(ticket({ position: 12, ahead: 5, estimatedWaitSeconds: 40 }), product, open))
      .toMatchObject({ action: 'open', label: 'Waiting room · #12', note: '5 ahead · under a minute' });
    expect(queueCard(ticket({ position: 12, ahead: 0 }), product, open)).toMatchObject({ note: "You're next" });
  });

  it('admitted: the usual Reserve, with the admission\'s countdown, urgent in its last 15 s', () => {
    const admitted = ticket({ state: 'ADMITTED', position: 1, admissionExpiresAt: '2026-12-01T18:01:00Z' });
    expect(queueCard(admitted, product, open)).toEqual({ action: 'reserve', label: '', note: "You're in — reserve within 1:00", urgent: false });
    expect(queueCard(admitted, product, { ...open, serverNow: at + 46_000 })).toMatchObject({ note: "You're in — reserve within 0:14", urgent: true });
    expect(queueCard(admitted, product, { ...open, serverNow: at + 60_000 })).toMatchObject({ action: 'none', label: 'Turn expired' });
  });

  it('holding the product: the usual Add, whatever the place says', () => {
    expect(queueCard(ticket({ state: 'RESERVED', position: 1 }), product, { ...open, holding: true }).action).toBe('reserve');
    expect(queueCard(ticket({ state: 'RESERVED', position: 1 }), product, open)).toMatchObject({ action: 'none', label: 'Turn used' });
    expect(queueCard(ticket({ state: 'LAPSED', position: 1 }), product, open)).toMatchObject({ action: 'none', label: 'Turn lapsed' });
    expect(queueCard(ticket({ state: 'SOLD_OUT', position: 1 }), product, open)).toMatchObject({ action: 'none', label: 'Sold out' });
  });
});

describe('figures', () => {
  it('the way through the queue: the share of those placed ahead who are no longer ahead', () => {
    expect(queueProgress(1, 0)).toBe(1);
    expect(queueProgress(5, 4)).toBe(0);
    expect(queueProgress(5, 1)).toBe(0.75);
    expect(queueProgress(5, 9)).toBe(0);
  });

  it('the estimated wait in words', () => {
    expect(formatWait(null)).toBeNull();
    expect(formatWait(0)).toBe('any moment now');
    expect(formatWait(59)).toBe('under a minute');
    expect(formatWait(90)).toBe('about 2 min');
    expect(formatWait(3_600 + 20 * 60)).toBe('about 1 h 20 min');
  });

  it('reads the API\'s ISO-8601 durations', () => {
    expect(durationMs('PT1M')).toBe(60_000);
    expect(durationMs('PT90S')).toBe(90_000);
    expect(durationMs('PT1H2M3.5S')).toBe(3_723_500);
    expect(durationMs('PT')).toBeNaN();
    expect(durationMs('60')).toBeNaN();
    expect(durationMs(undefined)).toBeNaN();
  });
});

describe('checking one\'s place in the published draw', () => {
  const seed = '3f1c0e5b9a7d4c2e8b6a5f4e3d2c1b0a';
  const me = '00000000-0000-4000-8000-000000000001';
  // Python's hashlib.sha256(seed + id) — the recipe the database and the Java tests use.
  const myKey = '92ba704b13d61a7c3fdd8656d73bc8f31aac0df7dc099c3b9b1a0ce31636f872';

  it('computes the key by the published recipe', async () => {
    expect(await drawKey(seed, me)).toBe(myKey);
  });

  it('confirms a place only with the own key at the own position among ascending keys', () => {
    const page = [{ position: 56, key: '1a' + '0'.repeat(62) }, { position: 57, key: myKey }, { position: 59, key: 'f0' + '0'.repeat(62) }];
    expect(confirmsPlace(page, 57, myKey)).toBe(true);
    expect(confirmsPlace(page, 56, myKey)).toBe(false);
    expect(confirmsPlace([page[0], { position: 57, key: 'ab' + '0'.repeat(62) }, page[2]], 57, myKey)).toBe(false);
    expect(confirmsPlace([{ position: 56, key: 'fe' + '0'.repeat(62) }, page[1]], 57, myKey)).toBe(false);
  });
});
