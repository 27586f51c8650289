// Live stock for everyone (/ws/stock): the figures and the purchases of each tick. A snapshot follows every (re)connect
// and every catalogue change, and replaces the figures. While the stream is unavailable (refused at the instance's
// watcher cap, or unreachable) the figures come from GET /api/products every 5–10 s; the stream itself keeps retrying
// (see live.ts). After an action the product is re-read, so its figure comes from the server even with the stream
// down. The stock to show for a product is state.ts's shownStock of these figures.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, type Api, type Product } from '../api/client';
import type { ServerClock } from '../clock';
import { jittered } from '../jitter';
import { openLive, type LiveStatus } from '../live';
import {
  addPurchases, applyBatch, applyReadStock, applySnapshot, stockFromPoll, stockFromProducts, versionOf, type Purchase, type Stock,
} from '../state';

const POLL_MIN_MS = 5_000;
const POLL_MAX_MS = 10_000;

export interface StockHooks {
  /** A snapshot arrived, or a tick named a product the page does not list: the catalogue is read again. */
  onCatalogueStale: () => void;
  /** Whether the page lists this product. */
  knows: (productId: string) => boolean;
  /** A poll read the catalogue (the products shown are replaced with it). */
  onPolled: (products: Product[]) => void;
  /** The shop answered (false), or could not be reached (true). */
  onSilent: (silent: boolean) => void;
}

export interface StockStream {
  stock: Record<string, Stock>;
  status: LiveStatus;
  /** The snapshot since the last (re)connect is applied. */
  synced: boolean;
  /** "Just bought": the recent purchases, then each tick's. */
  purchases: Purchase[];
  /** A catalogue list: its figures for the products the stream has not told of yet. */
  fromCatalogue: (products: Product[]) => void;
  /** The version shown for a product, taken when a request leaves (see applyReadStock). */
  versionOf: (productId: string) => number;
  /** A figure the server gave outside the stream (a refusal's availableStock) for a request sent at that version. */
  told: (productId: string, read: { availableStock: number; totalStock?: number }, versionAtSend: number) => void;
  /** Re-reads one product after an action. */
  refresh: (productId: string) => void;
}

export function useStockStream(api: Api, clock: ServerClock, hooks: StockHooks): StockStream {
  const [stock, setStock] = useState<Record<string, Stock>>({});
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [synced, setSynced] = useState(false);
  const [purchases, setPurchases] = useState<Purchase[]>([]);
  const stockRef = useRef(stock);
  stockRef.current = stock;
  const latest = useRef(hooks);
  latest.current = hooks;

  useEffect(() => {
    api.recentPurchases()
      .then((recent) => setPurchases((shown) => addPurchases(shown, recent.map((p) => ({
        productId: p.productId ?? '', handle: p.handle ?? '', quantity: p.quantity ?? 0, at: p.at ?? '',
      })))))
      .catch(() => { /* the feed fills from the stream */ });
  }, [api]);

  useEffect(() => openLive({
    path: '/ws/stock',
    onStatus: (next) => {
      setStatus(next);
      setSynced(false);
      if (next === 'live') latest.current.onSilent(false);
    },
    onMessage: (message) => {
      if (message.type === 'snapshot') {
        clock.observeExact(Date.parse(message.serverTime), Date.now());
        setStock(applySnapshot(message));
        setSynced(true);
        latest.current.onCatalogueStale();
      } else if (message.type === 'batch') {
        // Every product that changed since our previous frame, and the purchases of the tick.
        setStock((s) => applyBatch(s, message));
        if (message.purchases.length > 0) setPurchases((shown) => addPurchases(shown, message.purchases));
        const named = [...message.stock, ...message.purchases].map((entry) => entry.productId);
        if (named.some((productId) => !latest.current.knows(productId))) latest.current.onCatalogueStale();
      }
    },
  }), [clock]);

  useEffect(() => {
    if (status !== 'unavailable') return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const list = await api.listProducts();
        if (stopped) return;
        latest.current.onPolled(list);
        setStock((s) => stockFromPoll(list, s));
        latest.current.onSilent(false);
      } catch (error) {
        if (error instanceof ApiError && error.code === 'NETWORK') latest.current.onSilent(true);
      }
      if (!stopped) timer = setTimeout(poll, jittered(POLL_MIN_MS, POLL_MAX_MS));
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [status, api]);

  const fromCatalogue = useCallback((products: Product[]) => setStock((s) => stockFromProducts(products, s)), []);
  const versionAt = useCallback((productId: string) => versionOf(stockRef.current, productId), []);
  const told = useCallback((productId: string, read: { availableStock: number; totalStock?: number }, versionAtSend: number) => {
    setStock((s) => applyReadStock(s, productId, read, versionAtSend));
  }, []);
  const refresh = useCallback((productId: string) => {
    const versionAtSend = versionOf(stockRef.current, productId);
    api.getProduct(productId)
      .then((p) => told(productId, { availableStock: p.availableStock ?? 0, totalStock: p.totalStock }, versionAtSend))
      .catch(() => { /* the stream or the next action brings it */ });
  }, [api, told]);

  return { stock, status, synced, purchases, fromCatalogue, versionOf: versionAt, told, refresh };
}
