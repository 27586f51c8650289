// The page's clock: the server's time as measured (ServerClock, see clock.ts) and a tick four times a second, which
// is what every countdown on the page re-renders with.
import { useEffect, useMemo, useState } from 'react';
import { ServerClock } from '../clock';

export const TICK_MS = 250;

export interface Clock {
  /** One per page: every API answer and every snapshot refine its offset. */
  clock: ServerClock;
  /** The local time of the last tick. */
  now: number;
  /** The server's time at the last tick. */
  serverNow: number;
}

export function useClock(): Clock {
  const clock = useMemo(() => new ServerClock(), []);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, []);
  return { clock, now, serverNow: clock.now(now) };
}
