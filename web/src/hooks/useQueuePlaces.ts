// The shopper's place in each queued product's waiting room. Read once signed in, when /ws/shopper (re)connects,
// after a reserve, and every 3–6 s while that stream is down; pushed as queue messages otherwise. A read is merged so
// that it never takes a place back (see readPlace). Only the rooms this shopper joined are read (rooms.ts): the
// others are known without asking. A place that changes is told: an admission in a toast and assertively (also on a
// first read: the turn is running), a lapse or a sell-out of a place in play in a toast; an admission's last seconds
// are announced once, and at its end the place is read again once (the keeper lapses it at its next run).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Api, Product, Retried } from '../api/client';
import { formatCountdown, remainingMs, type ServerClock } from '../clock';
import type { Toast } from '../components/Toasts';
import { jittered } from '../jitter';
import {
  ADMISSION_URGENT_MS, confirmsPlace, drawKey, inPlay, leftPlace, mergeTicket, readPlace, ticketFrom, type Place, type Ticket,
} from '../queue';
import { alertTurn, askForTurnAlerts } from '../turnAlerts';
import { forgetRoom, joinedRooms, rememberRoom, roomsToRead } from '../rooms';

const PLACE_POLL_MIN_MS = 3_000;
const PLACE_POLL_MAX_MS = 6_000;

export interface PlacesContext {
  signedIn: boolean;
  /** /ws/shopper is live (otherwise places in play are polled). */
  streamLive: boolean;
  products: Product[] | null;
  clock: ServerClock;
  now: number;
  toast: (kind: Toast['kind'], text: string) => void;
  announce: (text: string) => void;
  nameOf: (productId: string | undefined) => string;
}

export interface QueuePlaces {
  /** By product id; undefined: not read yet. */
  places: Record<string, Place>;
  /** Reads the places of these products (those of rooms not joined are known: not in the queue). */
  read: (productIds: string[]) => void;
  /** Reads the places of every queued product listed. */
  readAll: () => void;
  /** A place as a queue message or an answer gave it. */
  merge: (ticket: Ticket) => void;
  /** Joins a product's waiting room. */
  join: (productId: string, retried?: Retried) => Promise<void>;
  /** Leaves it (joining again puts one at the back). */
  leave: (productId: string) => Promise<void>;
  /** Whether the published draw has, at this position, the key the recipe gives this shopper (the page around it is read). */
  checkDraw: (productId: string, shopperId: string, seed: string, position: number) => Promise<boolean>;
}

export function useQueuePlaces(api: Api, context: PlacesContext): QueuePlaces {
  const { signedIn, streamLive, products, clock, now, toast, announce, nameOf } = context;
  const [places, setPlaces] = useState<Record<string, Place>>({});
  const productsRef = useRef(products);
  productsRef.current = products;

  const revision = useRef<Record<string, number>>({});
  const change = useCallback((productId: string, update: (current: Place | undefined) => Place) => {
    revision.current[productId] = (revision.current[productId] ?? 0) + 1;
    setPlaces((all) => ({ ...all, [productId]: update(all[productId]) }));
  }, []);
  const readOne = useCallback(async (productId: string) => {
    const at = revision.current[productId] ?? 0;
    const ticket = await api.myTicket(productId);
    if (!ticket) forgetRoom(productId);
    setPlaces((all) => ({
      ...all,
      [productId]: readPlace(all[productId], productId, ticket && ticketFrom(ticket), (revision.current[productId] ?? 0) !== at),
    }));
  }, [api]);
  const read = useCallback((ids: string[]) => {
    const { read: toRead, notIn } = roomsToRead(ids, joinedRooms());
    if (notIn.length > 0) {
      setPlaces((all) => {
        const next = { ...all };
        for (const productId of notIn) next[productId] ??= { productId, state: 'NOT_IN_QUEUE', leftJoinedAt: null };
        return next;
      });
    }
    for (const productId of toRead) {
      readOne(productId).catch(() => {
        // Unknown places are read again shortly; one in play is read by the poll while the stream is down.
        setTimeout(() => void readOne(productId).catch(() => {}), jittered(PLACE_POLL_MIN_MS, PLACE_POLL_MAX_MS));
      });
    }
  }, [readOne]);
  const readAll = useCallback(() => read((productsRef.current ?? []).filter((p) => p.queue).map((p) => p.id!)), [read]);

  const queuedKey = (products ?? []).filter((p) => p.queue).map((p) => p.id).sort().join(',');
  useEffect(() => {
    if (signedIn && queuedKey) read(queuedKey.split(','));
  }, [signedIn, queuedKey, read]);

  // /ws/shopper down: a place in play is read every 3–6 s.
  const placesInPlay = Object.values(places).filter(inPlay).map((p) => p.productId).sort().join(',');
  useEffect(() => {
    if (streamLive || !signedIn || !placesInPlay) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () => {
      read(placesInPlay.split(','));
      timer = setTimeout(poll, jittered(PLACE_POLL_MIN_MS, PLACE_POLL_MAX_MS));
    };
    timer = setTimeout(poll, jittered(PLACE_POLL_MIN_MS, PLACE_POLL_MAX_MS));
    return () => clearTimeout(timer);
  }, [streamLive, signedIn, placesInPlay, read]);

  const nameRef = useRef(nameOf);
  nameRef.current = nameOf;
  const seen = useRef<Record<string, Place>>({});
  useEffect(() => {
    for (const place of Object.values(places)) {
      const before = seen.current[place.productId];
      if (before === place) continue;
      seen.current[place.productId] = place;
      if (place.state === 'NOT_IN_QUEUE' || (before?.state === place.state && before.joinedAt === place.joinedAt)) continue;
      const name = nameRef.current(place.productId);
      const admissionLeft = remainingMs(place.admissionExpiresAt ?? '', clock);
      if (place.state === 'ADMITTED' && admissionLeft > 0) {
        const left = formatCountdown(admissionLeft);
        toast('success', `You're in for ${name} — reserve within ${left}.`);
        announce(`You're in: reserve ${name} within ${left}.`);
        alertTurn(place.productId, name ?? 'your product', admissionLeft);
      } else if (inPlay(before) && place.state === 'LAPSED') {
        toast('info', `Your turn for ${name} lapsed: it went to the next in line.`);
      } else if (inPlay(before) && place.state === 'SOLD_OUT') {
        toast('info', `${name} sold out before your turn. Nothing was charged.`);
      }
    }
  }, [places, clock, toast, announce]);

  const admissionWarned = useRef(new Set<string>());
  const admissionEnded = useRef(new Set<string>());
  useEffect(() => {
    for (const place of Object.values(places)) {
      if (place.state !== 'ADMITTED') continue;
      const key = `${place.productId}|${place.joinedAt}`;
      const left = remainingMs(place.admissionExpiresAt ?? '', clock, now);
      if (left > 0 && left <= ADMISSION_URGENT_MS && !admissionWarned.current.has(key)) {
        admissionWarned.current.add(key);
        announce(`${Math.ceil(left / 1000)} seconds left to reserve ${nameRef.current(place.productId)}.`);
      } else if (left <= 0 && !admissionEnded.current.has(key)) {
        admissionEnded.current.add(key);
        announce(`Your turn to reserve ${nameRef.current(place.productId)} ran out.`);
        setTimeout(() => void readOne(place.productId).catch(() => {}), jittered(1_000, 2_000));
      }
    }
  });

  const merge = useCallback((ticket: Ticket) => change(ticket.productId, (current) => mergeTicket(current, ticket)), [change]);
  const join = useCallback(async (productId: string, retried?: Retried) => {
    askForTurnAlerts(); // joining is the shopper's gesture; the turn may come while they are elsewhere
    const ticket = ticketFrom(await api.joinQueue(productId, retried));
    rememberRoom(productId);
    change(productId, (current) => mergeTicket(current, ticket));
  }, [api, change]);
  const leave = useCallback(async (productId: string) => {
    await api.leaveQueue(productId);
    forgetRoom(productId);
    change(productId, (current) => leftPlace(current, productId));
  }, [api, change]);

  const checkDraw = useCallback(async (productId: string, shopperId: string, seed: string, position: number) => {
    const key = await drawKey(seed, shopperId);
    const page = await api.queueDraw(productId, Math.max(1, position - 1), 3);
    const drawn = (page.places ?? []).map((place) => ({ position: place.position ?? 0, key: place.key ?? '' }));
    return confirmsPlace(drawn, position, key);
  }, [api]);

  return { places, read, readAll, merge, join, leave, checkDraw };
}
