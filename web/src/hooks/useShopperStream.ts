// The shopper's own stream (/ws/shopper): hold events (an expiry comes from the worker, not from polling) and the
// shopper's places in waiting rooms. Opened once signed in. Every (re)connect re-reads what it may have missed — the
// holds, retried every 1–2 s until the read gets through (a shop just back may refuse a request or two), so the page
// never stays on "Reconnecting…" with stale holds — and the places.
import { useEffect, useRef, useState } from 'react';
import { jittered } from '../jitter';
import { openLive, type LiveStatus } from '../live';
import { isQueueMessage, type QueueMessage } from '../queue';
import type { HoldMessage } from '../state';

export interface ShopperHooks {
  /** Re-reads the holds (after each (re)connect, until it gets through). */
  rereadHolds: () => Promise<void>;
  /** Re-reads the places (after each (re)connect). */
  rereadPlaces: () => void;
  onHold: (message: HoldMessage) => void;
  onQueue: (message: QueueMessage) => void;
}

export interface ShopperStream {
  status: LiveStatus;
  /** The holds are re-read since the last (re)connect. */
  synced: boolean;
}

export function useShopperStream(signedIn: boolean, token: () => string | null, hooks: ShopperHooks): ShopperStream {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [synced, setSynced] = useState(false);
  const latest = useRef(hooks);
  latest.current = hooks;

  useEffect(() => {
    if (!signedIn) return;
    let resync: ReturnType<typeof setTimeout> | undefined;
    let generation = 0;
    const close = openLive({
      path: '/ws/shopper',
      token,
      onStatus: (next) => {
        setStatus(next);
        setSynced(false);
        clearTimeout(resync);
        const current = ++generation;
        if (next === 'live') {
          const reread = () => latest.current.rereadHolds()
            .then(() => { if (current === generation) setSynced(true); })
            .catch(() => { if (current === generation) resync = setTimeout(reread, jittered(1_000, 2_000)); });
          void reread();
          latest.current.rereadPlaces();
        }
      },
      onMessage: (message) => {
        const news: unknown = message;
        if (isQueueMessage(news)) latest.current.onQueue(news);
        else if (message.type === 'hold') latest.current.onHold(message);
      },
    });
    return () => {
      generation += 1;
      clearTimeout(resync);
      close();
    };
  }, [signedIn, token]);

  return { status, synced };
}
