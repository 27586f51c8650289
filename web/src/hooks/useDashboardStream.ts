// The operator's live figures (/ws/admin, every second, with the admin key): the latest row per product, the last
// minute of each series for the small charts, and whether the server has the demo reset.
import { useCallback, useEffect, useState } from 'react';
import { addTick, type DashboardMessage, type DashboardRow, type Series } from '../dashboard';
import { openLive, type LiveStatus } from '../live';

export interface DashboardStream {
  status: LiveStatus;
  rows: DashboardRow[];
  history: Record<string, Series>;
  /** Only where the server has the demo reset (flashsale.demo.reset-enabled); the figures say so. */
  resetAvailable: boolean;
  /** Figures read over REST (the sign-in's GET /api/admin/dashboard), shown until the stream's first tick. */
  show: (figures: DashboardMessage) => void;
}

/** Opened while there is a key; closed when it goes (sign out). */
export function useDashboardStream(key: string | null): DashboardStream {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [rows, setRows] = useState<DashboardRow[]>([]);
  const [history, setHistory] = useState<Record<string, Series>>({});
  const [resetAvailable, setResetAvailable] = useState(false);

  useEffect(() => {
    if (!key) return;
    return openLive({
      path: '/ws/admin',
      token: () => key,
      onStatus: setStatus,
      onMessage: (message) => {
        if (message.type !== 'dashboard') return;
        setRows(message.products);
        setResetAvailable(message.resetAvailable);
        setHistory((h) => addTick(h, message));
      },
    });
  }, [key]);

  const show = useCallback((figures: DashboardMessage) => {
    setRows(figures.products);
    setResetAvailable(figures.resetAvailable);
  }, []);

  return { status, rows, history, resetAvailable, show };
}
