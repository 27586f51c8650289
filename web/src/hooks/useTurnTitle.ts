// While a waiting-room turn runs and the tab is hidden, its title flashes the turn's countdown ("Your turn · 0:28"),
// so the shopper sees it from another tab; back on the page, the title is the page's own again.
import { useEffect } from 'react';
import { remainingMs, type ServerClock } from '../clock';
import type { Place } from '../queue';
import { turnTitle } from '../turnAlerts';

export function useTurnTitle(places: Record<string, Place>, clock: ServerClock): void {
  const first = Object.values(places)
    .flatMap((place) => (place.state === 'ADMITTED' && place.admissionExpiresAt ? [place.admissionExpiresAt] : []))
    .sort()[0];
  useEffect(() => {
    if (!first) return;
    const own = document.title;
    let tick = 0;
    const show = () => {
      const left = remainingMs(first, clock);
      document.title = document.visibilityState === 'hidden' && left > 0 ? turnTitle(tick++, left, own) : own;
    };
    show();
    const timer = setInterval(show, 1_000);
    document.addEventListener('visibilitychange', show);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', show);
      document.title = own;
    };
  }, [first, clock]);
}
