// The shopper's holds: read after signing in and on every reconnect of /ws/shopper, changed by this page's actions
// and by the stream's events. A list fetched while a hold changed here must not wipe that change: it is then merged
// into what we show instead of replacing it. Each expiry is told once, whether pushed or found by a re-read; a hold's
// last 30 s are announced once to screen readers.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Api, Hold, Product } from '../api/client';
import { URGENT_MS, remainingMs, type ServerClock } from '../clock';
import type { Toast } from '../components/Toasts';
import { mayStillTake } from '../sale';
import { expiredMeanwhile, holdFromMessage, holdsFromList, timeIsUp, upsertHold, type HoldMessage } from '../state';

// The card of a product whose last hold expired says so for this long, offering to reserve again.
const RECENT_EXPIRY_MS = 5 * 60_000;

export interface HoldsContext {
  clock: ServerClock;
  /** The local time of the clock's last tick. */
  now: number;
  toast: (kind: Toast['kind'], text: string) => void;
  announce: (text: string) => void;
  /** The product's name, if the catalogue lists it. */
  nameOf: (productId: string | undefined) => string | undefined;
}

export interface Holds {
  holds: Hold[];
  /** ACTIVE by the server's word. */
  active: Hold[];
  /** Active and with time left: one whose time is up is over (Expired at zero), before the server's word arrives. */
  running: Hold[];
  remaining: (hold: Hold) => number;
  /** Re-reads the list (what expired meanwhile is told); forgets what refusals said of limits. */
  load: () => Promise<void>;
  /** A hold as an answer gave it (reserve, complete, cancel). */
  put: (hold: Hold) => void;
  /** A hold event of /ws/shopper. */
  pushed: (message: HoldMessage) => void;
  /** What a LIMIT_EXCEEDED refusal said the shopper may still take of a product, until the next read. */
  limitTold: (productId: string, remaining: number) => void;
  /** Units the shopper may still reserve of a product (undefined: no limit). */
  mayTake: (product: Product) => number | undefined;
  /** The hold a product's card shows: an active one, else one that expired in the last few minutes. */
  shownOn: (productId: string | undefined) => Hold | undefined;
}

export function useHolds(api: Api, context: HoldsContext): Holds {
  const { clock, now, toast, announce } = context;
  const [holds, setHolds] = useState<Hold[]>([]);
  const [limitLeft, setLimitLeft] = useState<Record<string, number>>({});
  const holdsRef = useRef(holds);
  holdsRef.current = holds;
  const nameRef = useRef(context.nameOf);
  nameRef.current = context.nameOf;
  const revision = useRef(0);
  const change = useCallback((update: (all: Hold[]) => Hold[]) => {
    revision.current += 1;
    setHolds(update);
  }, []);

  const toldExpired = useRef(new Set<string>());
  const tellExpired = useCallback((hold: Hold, meanwhile: boolean) => {
    if (!hold.id || toldExpired.current.has(hold.id)) return;
    toldExpired.current.add(hold.id);
    const name = nameRef.current(hold.productId) ?? 'an item';
    toast('info', meanwhile
      ? `Your hold on ${name} expired while the page was reconnecting — the stock went back.`
      : `Your hold on ${name} expired — the stock went back`);
  }, [toast]);

  const load = useCallback(async () => {
    const at = revision.current;
    const items = (await api.listHolds()).items ?? [];
    for (const hold of expiredMeanwhile(holdsRef.current, items)) tellExpired(hold, true);
    setHolds((all) => holdsFromList(items, all, revision.current !== at));
    setLimitLeft({});
  }, [api, tellExpired]);

  const put = useCallback((hold: Hold) => change((all) => upsertHold(all, hold)), [change]);
  const pushed = useCallback((message: HoldMessage) => {
    change((all) => upsertHold(all, holdFromMessage(message, all.find((h) => h.id === message.id))));
    if (message.change === 'EXPIRED') tellExpired({ id: message.id, productId: message.productId }, false);
  }, [change, tellExpired]);
  const limitTold = useCallback((productId: string, left: number) => setLimitLeft((l) => ({ ...l, [productId]: left })), []);

  const remaining = useCallback((hold: Hold) => remainingMs(hold.expiresAt ?? '', clock, now), [clock, now]);
  const active = holds.filter((h) => h.status === 'ACTIVE');
  const running = active.filter((h) => !timeIsUp(h, remaining(h)));

  // Screen readers hear a hold's countdown once, when it enters its last 30 s — not every second.
  const warned = useRef(new Set<string>());
  useEffect(() => {
    for (const hold of active) {
      const left = remaining(hold);
      if (left > 0 && left <= URGENT_MS && !warned.current.has(hold.id!)) {
        warned.current.add(hold.id!);
        announce(`${Math.ceil(left / 1000)} seconds left on your hold of ${nameRef.current(hold.productId) ?? 'this item'}: pay now to keep it.`);
      } else if (left > URGENT_MS) {
        warned.current.delete(hold.id!); // a merge reset its timer
      }
    }
  });

  const shownOn = (productId: string | undefined) => {
    const mine = active.find((h) => h.productId === productId);
    if (mine) return mine;
    const last = holds.find((h) => h.productId === productId);
    const endedAt = Date.parse(last?.endedAt ?? last?.expiresAt ?? '');
    return last?.status === 'EXPIRED' && clock.now(now) - endedAt < RECENT_EXPIRY_MS ? last : undefined;
  };

  return {
    holds, active, running, remaining, load, put, pushed, limitTold, shownOn,
    mayTake: (product) => mayStillTake(product, holds, limitLeft[product.id ?? '']),
  };
}
