// The page's link to the shop: whether the device is online, whether the shop answers at all (a request that could
// not reach it marks it silent until one gets through), and what the header's indicator and the message bar say.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { CONNECTION_LABEL, connectionOf, paused, pausedMessage, type Connection, type ConnectionFacts } from '../connection';
import type { Toast } from '../components/Toasts';
import { jittered } from '../jitter';

type Tell = (kind: Toast['kind'], text: string, key?: string) => void;

// While the shop is silent it is probed this often, jittered so a crowd does not knock in step.
const PROBE_MIN_MS = 2_000;
const PROBE_MAX_MS = 3_000;

export interface Reach {
  /** navigator.onLine, kept current. */
  online: boolean;
  /** A request could not reach the shop, and none has got through since. */
  silent: boolean;
  setSilent: (silent: boolean) => void;
  /**
   * Tells a failed call: the server's problem `detail` in a toast; a call that never reached the shop only marks it
   * silent (one "offline" toast says it, not one per failed call).
   */
  fail: (error: unknown) => void;
}

/** Online and reachable; while silent, `probe` (a catalogue read) runs every 2–3 s until the shop answers. */
export function useReach(toast: Tell, probe: () => void): Reach {
  const [online, setOnline] = useState(navigator.onLine);
  const [silent, setSilent] = useState(false);
  const probeRef = useRef(probe);
  probeRef.current = probe;

  useEffect(() => {
    const update = () => {
      setOnline(navigator.onLine);
      if (navigator.onLine) setSilent(false);
    };
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);

  // The first answer also wakes the streams waiting out their backoff (see live.ts).
  useEffect(() => {
    if (!silent) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const knock = () => {
      probeRef.current();
      timer = setTimeout(knock, jittered(PROBE_MIN_MS, PROBE_MAX_MS));
    };
    timer = setTimeout(knock, jittered(PROBE_MIN_MS, PROBE_MAX_MS));
    return () => clearTimeout(timer);
  }, [silent]);

  const fail = useCallback((error: unknown) => {
    if (error instanceof ApiError && error.code === 'NETWORK') {
      setSilent(true);
      return;
    }
    toast('error', error instanceof ApiError ? error.message : 'Something went wrong');
  }, [toast]);

  return { online, silent, setSilent, fail };
}

export interface Indicator {
  connection: Connection;
  label: string;
  /** Reserving, paying and joining are paused. */
  offline: boolean;
  /** What a paused primary button says. */
  pausedLabel: string;
}

/** What the header says (see connection.ts); while reserving is paused, one keyed toast says why. */
export function useIndicator(facts: Omit<ConnectionFacts, 'beenLive'>, toast: Tell, dismiss: (key: string) => void): Indicator {
  const beenLive = useRef(false);
  const connection = connectionOf({ ...facts, beenLive: beenLive.current });
  if (connection === 'live') beenLive.current = true;
  const text = pausedMessage(connection);
  useEffect(() => {
    if (text) toast('error', text, 'offline');
    else dismiss('offline');
  }, [text, toast, dismiss]);
  return {
    connection,
    label: CONNECTION_LABEL[connection],
    offline: paused(connection),
    pausedLabel: connection === 'not-answering' ? 'Shop not answering' : 'Offline',
  };
}
