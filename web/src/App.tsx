import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Api, ApiError, type Hold, type Product } from './api/client';
import { ServerClock, URGENT_MS, formatCountdown, remainingMs } from './clock';
import { ActivityFeed } from './components/ActivityFeed';
import { CatalogueNotice } from './components/CatalogueNotice';
import { HoldsPanel } from './components/HoldsPanel';
import { PaymentDialog, type Payment } from './components/PaymentDialog';
import { ProductCard, ProductSkeleton } from './components/ProductCard';
import { Toasts, useToasts } from './components/Toasts';
import { formatPrice } from './format';
import { openLive, type LiveStatus } from './live';
import { remainingForMe, salePhase } from './sale';
import {
  addPurchases, applyBatch, applyReadStock, applySnapshot, holdFromMessage, holdsFromList, stockFromPoll,
  stockFromProducts, upsertHold, versionOf, type Purchase, type Stock,
} from './state';

const TOKEN_KEY = 'flashsale.token';
const HANDLE_KEY = 'flashsale.handle';
const DEFAULT_HOLD_MS = 120_000;
const MAX_PER_REQUEST = 10;
// While /ws/stock is unavailable the figures are re-read this often, jittered so a refused crowd does not poll in step.
const POLL_MIN_MS = 5_000;
const POLL_MAX_MS = 10_000;

type Catalogue = { state: 'loading' } | { state: 'ready' } | { state: 'failed'; retryAt: number };

export function App() {
  const clock = useMemo(() => new ServerClock(), []);
  const tokenRef = useRef<string | null>(localStorage.getItem(TOKEN_KEY));
  const api = useMemo(() => new Api(clock, () => tokenRef.current), [clock]);

  const [products, setProducts] = useState<Product[] | null>(null);
  const [catalogue, setCatalogue] = useState<Catalogue>({ state: 'loading' });
  const [stock, setStock] = useState<Record<string, Stock>>({});
  const [holds, setHolds] = useState<Hold[]>([]);
  const [stockStatus, setStockStatus] = useState<LiveStatus>('connecting');
  const [holdStatus, setHoldStatus] = useState<LiveStatus>('connecting');
  // A stream is only "live" once what it missed is caught up: the snapshot applied, the holds re-read.
  const [stockSynced, setStockSynced] = useState(false);
  const [holdsSynced, setHoldsSynced] = useState(false);
  const [identityReady, setIdentityReady] = useState(false);
  const [handle, setHandle] = useState<string | null>(localStorage.getItem(HANDLE_KEY));
  const [panelOpen, setPanelOpen] = useState(false);
  const [payment, setPayment] = useState<Payment | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [purchases, setPurchases] = useState<Purchase[]>([]);
  const [now, setNow] = useState(Date.now());
  const [online, setOnline] = useState(navigator.onLine);
  const [networkDown, setNetworkDown] = useState(false);
  // What the server said a refused reserve may still take of a limited product, until the holds are re-read.
  const [limitLeft, setLimitLeft] = useState<Record<string, number>>({});
  const [announcement, setAnnouncement] = useState('');
  const { toasts, toast, dismiss } = useToasts();
  const productsRef = useRef<Record<string, Product>>({});
  const stockRef = useRef(stock);
  stockRef.current = stock;
  const holdsButton = useRef<HTMLButtonElement>(null);
  const panelHeading = useRef<HTMLHeadingElement>(null);

  const fail = useCallback((error: unknown) => {
    if (error instanceof ApiError && error.code === 'NETWORK') {
      setNetworkDown(true); // one "offline" toast says it, not one per failed call
      return;
    }
    toast('error', error instanceof ApiError ? error.message : 'Something went wrong');
  }, [toast]);

  const byId = useMemo(() => Object.fromEntries((products ?? []).map((p) => [p.id ?? '', p])), [products]);
  productsRef.current = byId;
  const nameOf = (productId?: string) => byId[productId ?? '']?.name ?? 'this item';

  // The catalogue: a failed load is retried by itself with backoff (1 s, 2 s, 4 s … 30 s) and by the Retry button;
  // it never toasts, so two loads failing together do not stack identical errors.
  const loadAttempts = useRef(0);
  const retryTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const loadProductsRef = useRef<() => Promise<void>>(async () => {});
  const loadProducts = useCallback(() => loadProductsRef.current(), []);
  loadProductsRef.current = async () => {
    clearTimeout(retryTimer.current);
    try {
      const list = await api.listProducts();
      loadAttempts.current = 0;
      setNetworkDown(false);
      setProducts(list);
      setStock((s) => stockFromProducts(list, s));
      setCatalogue({ state: 'ready' });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'NETWORK') setNetworkDown(true);
      const delay = Math.min(30_000, 1000 * 2 ** loadAttempts.current++);
      retryTimer.current = setTimeout(() => void loadProductsRef.current(), delay);
      setCatalogue((c) => (c.state === 'ready' ? c : { state: 'failed', retryAt: Date.now() + delay }));
    }
  };
  useEffect(() => () => clearTimeout(retryTimer.current), []);

  /** Re-reads one product after an action, so its figure comes from the server even while the stream is down. */
  const refreshProduct = useCallback((productId: string) => {
    const versionAtSend = versionOf(stockRef.current, productId);
    api.getProduct(productId)
      .then((p) => setStock((s) => applyReadStock(s, productId, { availableStock: p.availableStock ?? 0, totalStock: p.totalStock }, versionAtSend)))
      .catch(() => { /* the stream or the next action brings it */ });
  }, [api]);

  // A list fetched while a hold changed here (reserve, pay, release, a pushed event) must not wipe that change:
  // it is then merged into what we show instead of replacing it.
  const holdsRevision = useRef(0);
  const changeHolds = useCallback((change: (all: Hold[]) => Hold[]) => {
    holdsRevision.current += 1;
    setHolds(change);
  }, []);
  const loadHolds = useCallback(async () => {
    const revision = holdsRevision.current;
    const items = (await api.listHolds()).items ?? [];
    setHolds((all) => holdsFromList(items, all, holdsRevision.current !== revision));
    setLimitLeft({});
  }, [api]);

  // Identity: created on the first visit and kept in localStorage, so a reload keeps holds and countdowns. Tokens
  // expire (flashsale.token-ttl), so a returning visitor's token is renewed; an expired or foreign one starts afresh.
  useEffect(() => {
    const keep = (credentials: { token?: string; handle?: string }) => {
      tokenRef.current = credentials.token ?? null;
      if (credentials.token) localStorage.setItem(TOKEN_KEY, credentials.token);
      if (credentials.handle) {
        localStorage.setItem(HANDLE_KEY, credentials.handle);
        setHandle(credentials.handle);
      }
    };
    const ensure = async () => {
      if (tokenRef.current) {
        try {
          keep(await api.renewToken());
        } catch (error) {
          if (!(error instanceof ApiError && error.problem.status === 401)) throw error;
          tokenRef.current = null;
        }
      }
      if (!tokenRef.current) keep(await api.createShopper());
      await loadHolds();
      setIdentityReady(true);
    };
    ensure().catch(fail);
    void loadProducts();
    api.recentPurchases()
      .then((recent) => setPurchases((shown) => addPurchases(shown, recent.map((p) => ({
        productId: p.productId ?? '', handle: p.handle ?? '', quantity: p.quantity ?? 0, at: p.at ?? '',
      })))))
      .catch(() => { /* the feed fills from the stream */ });
  }, [api, fail, loadHolds, loadProducts]);

  // Live stock for everyone.
  useEffect(() => openLive({
    path: '/ws/stock',
    onStatus: (status) => {
      setStockStatus(status);
      setStockSynced(false);
      if (status === 'live') setNetworkDown(false);
    },
    onMessage: (message) => {
      if (message.type === 'snapshot') {
        // A snapshot follows a (re)connect or a catalogue change (e.g. a sale window moved): reload the products.
        clock.observeExact(Date.parse(message.serverTime), Date.now());
        setStock(applySnapshot(message));
        setStockSynced(true);
        void loadProducts();
      } else if (message.type === 'batch') {
        // Every product that changed since our previous frame, and the purchases of the tick.
        setStock((s) => applyBatch(s, message));
        if (message.purchases.length > 0) setPurchases((shown) => addPurchases(shown, message.purchases));
        const named = [...message.stock, ...message.purchases].map((entry) => entry.productId);
        if (named.some((productId) => !productsRef.current[productId])) void loadProducts();
      }
    },
  }), [clock, loadProducts]);

  // The stock stream unavailable (refused at the instance's watcher cap, or unreachable): the figures come from
  // GET /api/products every 5–10 s until it is back; the stream itself keeps retrying (see live.ts).
  useEffect(() => {
    if (stockStatus !== 'unavailable') return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const list = await api.listProducts();
        if (stopped) return;
        setProducts(list);
        setStock((s) => stockFromPoll(list, s));
        setNetworkDown(false);
      } catch (error) {
        if (error instanceof ApiError && error.code === 'NETWORK') setNetworkDown(true);
      }
      if (!stopped) timer = setTimeout(poll, POLL_MIN_MS + Math.random() * (POLL_MAX_MS - POLL_MIN_MS));
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [stockStatus, api]);

  // My holds, pushed (an expiry comes from the worker, not from polling); a reconnect reloads them.
  useEffect(() => {
    if (!identityReady) return;
    return openLive({
      path: '/ws/shopper',
      token: () => tokenRef.current,
      onStatus: (status) => {
        setHoldStatus(status);
        setHoldsSynced(false);
        if (status === 'live') loadHolds().then(() => setHoldsSynced(true)).catch(fail);
      },
      onMessage: (message) => {
        if (message.type !== 'hold') return;
        changeHolds((all) => upsertHold(all, holdFromMessage(message, all.find((h) => h.id === message.id))));
        if (message.change === 'EXPIRED') {
          toast('info', `Your hold on ${productsRef.current[message.productId]?.name ?? 'an item'} expired — the stock went back`);
        }
      },
    });
  }, [identityReady, fail, loadHolds, toast, changeHolds]);

  useEffect(() => {
    const update = () => {
      setOnline(navigator.onLine);
      if (navigator.onLine) setNetworkDown(false);
    };
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);

  // A request that could not reach the shop marks the page offline until one gets through: probe every 3 s.
  useEffect(() => {
    if (!networkDown) return;
    const probe = setInterval(() => void loadProducts(), 3000);
    return () => clearInterval(probe);
  }, [networkDown, loadProducts]);

  // Countdowns tick four times a second.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);

  const remaining = useCallback((hold: Hold) => remainingMs(hold.expiresAt ?? '', clock, now), [clock, now]);
  const activeHolds = holds.filter((h) => h.status === 'ACTIVE');
  const latest = holds.find((h) => h.createdAt && h.expiresAt);
  const holdLengthMs = latest ? Math.round((Date.parse(latest.expiresAt!) - Date.parse(latest.createdAt!)) / 1000) * 1000 : DEFAULT_HOLD_MS;

  // Screen readers hear a hold's countdown once, when it enters its last 30 s — not every second.
  const warned = useRef(new Set<string>());
  useEffect(() => {
    for (const hold of activeHolds) {
      const left = remaining(hold);
      if (left > 0 && left <= URGENT_MS && !warned.current.has(hold.id!)) {
        warned.current.add(hold.id!);
        setAnnouncement(`${Math.ceil(left / 1000)} seconds left on your hold of ${nameOf(hold.productId)}: pay now to keep it.`);
      } else if (left > URGENT_MS) {
        warned.current.delete(hold.id!); // a merge reset its timer
      }
    }
  });

  const live = !online || networkDown ? 'offline'
    : stockStatus === 'unavailable' && catalogue.state === 'ready' ? 'polling'
    : stockStatus === 'live' && stockSynced && identityReady && holdStatus === 'live' && holdsSynced && catalogue.state === 'ready' ? 'live'
      : stockStatus === 'connecting' && holdStatus === 'connecting' ? 'connecting' : 'reconnecting';
  const liveLabel = {
    live: 'Live', polling: 'Updating every few seconds', connecting: 'Connecting…', reconnecting: 'Reconnecting…', offline: 'Offline',
  }[live];
  const offline = live === 'offline';

  useEffect(() => {
    if (offline) toast('error', 'You are offline: reserving is paused until the connection is back.', 'offline');
    else dismiss('offline');
  }, [offline, toast, dismiss]);

  const reserve = async (product: Product, quantity: number) => {
    const productId = product.id!;
    if (busy === productId) return;
    const before = activeHolds.find((h) => h.productId === productId);
    const versionAtSend = versionOf(stockRef.current, productId);
    setBusy(productId);
    try {
      const hold = await api.reserve(productId, quantity);
      changeHolds((all) => upsertHold(all, hold));
      const left = formatCountdown(remainingMs(hold.expiresAt ?? '', clock));
      toast('success', before
        ? `You now hold ${hold.quantity} × ${product.name} — timer reset to ${left}.`
        : `Reserved ${quantity} × ${product.name}: yours for ${left}. Pay before the timer runs out.`);
    } catch (error) {
      refused(product, error, versionAtSend);
    } finally {
      setBusy(null);
      refreshProduct(productId);
    }
  };

  /** A refused reserve updates the card at once from what the refusal carries, then says why in the product's name. */
  const refused = (product: Product, error: unknown, versionAtSend: number) => {
    const productId = product.id!;
    if (error instanceof ApiError && error.code === 'OUT_OF_STOCK' && typeof error.problem.availableStock === 'number') {
      const available = error.problem.availableStock;
      setStock((s) => applyReadStock(s, productId, { availableStock: available }, versionAtSend));
      toast('error', available === 0 ? `${product.name} just sold out.` : `Only ${available} of ${product.name} left: choose ${available} or fewer.`);
    } else if (error instanceof ApiError && error.code === 'LIMIT_EXCEEDED' && typeof error.problem.remaining === 'number') {
      const left = error.problem.remaining;
      setLimitLeft((l) => ({ ...l, [productId]: left }));
      toast('error', left === 0 ? `You have reached the limit for ${product.name}.` : `You may reserve ${left} more of ${product.name}.`);
      loadHolds().catch(() => {});
    } else {
      fail(error);
    }
  };

  const pay = async (hold: Hold) => {
    try {
      const done = await api.complete(hold.id!);
      changeHolds((all) => upsertHold(all, done));
      setPayment({ hold: done, paid: true });
      toast('success', `Paid ${formatPrice(done.amountCents ?? 0, byId[done.productId ?? '']?.currency)} — enjoy your ${nameOf(done.productId)}!`);
    } catch (error) {
      fail(error);
      if (error instanceof ApiError && error.code === 'HOLD_EXPIRED') setPayment(null);
    } finally {
      refreshProduct(hold.productId!);
    }
  };

  const release = async (hold: Hold) => {
    try {
      const released = await api.cancel(hold.id!);
      changeHolds((all) => upsertHold(all, released));
      toast('info', `Released ${nameOf(hold.productId)}: the stock went back.`);
      panelHeading.current?.focus(); // its row (and the button pressed) is gone
    } catch (error) {
      fail(error);
    } finally {
      refreshProduct(hold.productId!);
    }
  };

  const closePanel = () => {
    setPanelOpen(false);
    holdsButton.current?.focus();
  };

  // The shell: the header, the part that scrolls, and the message bar (see Toasts), none over another.
  return (
    <div className="shell">
      <header className="top">
        <h1 className="brand">Flash Drop</h1>
        <span className={`live live-${live}`} data-testid="live-indicator">
          <span className="dot" aria-hidden="true" />
          <span className="live-label">{liveLabel}</span>
        </span>
        <button type="button" ref={holdsButton} className="holds-button" aria-expanded={panelOpen} aria-controls="holds-panel"
          onClick={() => setPanelOpen((o) => !o)}>
          Your holds <span className="count" aria-label={`${activeHolds.length} active`}>{activeHolds.length}</span>
        </button>
      </header>
      <div className="page">
        <main className={offline ? 'inactive' : undefined}>
          {products === null && catalogue.state === 'failed' ? (
            <CatalogueNotice kind="failed" retryInMs={catalogue.retryAt - now} onRetry={() => void loadProducts()} />
          ) : products?.length === 0 ? (
            <CatalogueNotice kind="empty" />
          ) : (
            <section className="grid" aria-label="Products" aria-busy={products === null}>
              {products === null
                ? Array.from({ length: 6 }, (_, i) => <ProductSkeleton key={i} />)
                : products.map((product) => {
                  const mine = activeHolds.find((h) => h.productId === product.id);
                  const computed = remainingForMe(product, holds);
                  const told = limitLeft[product.id ?? ''];
                  return (
                    <ProductCard
                      key={product.id}
                      product={product}
                      stock={stock[product.id ?? '']}
                      myHold={mine}
                      myHoldRemaining={mine ? remaining(mine) : undefined}
                      holdLengthMs={holdLengthMs}
                      maxPerRequest={MAX_PER_REQUEST}
                      sale={salePhase(product, clock.now(now))}
                      remainingForMe={told === undefined ? computed : Math.min(told, computed ?? told)}
                      busy={busy === product.id}
                      ready={identityReady}
                      offline={offline}
                      onReserve={(quantity) => reserve(product, quantity)}
                    />
                  );
                })}
            </section>
          )}
          <ActivityFeed purchases={purchases} products={byId} serverNow={clock.now(now)} myHandle={handle} />
        </main>
        <footer className="bottom">
          <a href="#admin">Operator dashboard</a>
        </footer>
      </div>
      <Toasts toasts={toasts} onDismiss={dismiss} />
      <HoldsPanel
        open={panelOpen}
        holds={holds}
        products={byId}
        remaining={remaining}
        headingRef={panelHeading}
        onClose={closePanel}
        onPay={(hold) => setPayment({ hold, paid: false })}
        onRelease={release}
      />
      <PaymentDialog payment={payment} product={payment ? byId[payment.hold.productId ?? ''] : undefined} handle={handle}
        remaining={payment ? remaining(payment.hold) : 0} onPay={pay} onClose={() => setPayment(null)}
        returnFocus={() => panelHeading.current} />
      <div className="visually-hidden" aria-live="assertive" data-testid="hold-announcement">{announcement}</div>
    </div>
  );
}
