import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Api, ApiError, type Hold, type Product } from './api/client';
import { ServerClock, remainingMs } from './clock';
import { HoldsPanel } from './components/HoldsPanel';
import { PaymentDialog } from './components/PaymentDialog';
import { ProductCard, ProductSkeleton } from './components/ProductCard';
import { ResetDialog } from './components/ResetDialog';
import { Toasts, type Toast } from './components/Toasts';
import { formatPrice } from './format';
import { ActivityFeed } from './components/ActivityFeed';
import { openLive, type LiveStatus } from './live';
import { remainingForMe, salePhase } from './sale';
import {
  addPurchases, applySnapshot, applyStock, holdFromMessage, holdsFromList, stockFromProducts, upsertHold,
  type Purchase, type Stock,
} from './state';

const TOKEN_KEY = 'flashsale.token';
const DEFAULT_HOLD_MS = 120_000;
const MAX_PER_REQUEST = 10;

export function App() {
  const clock = useMemo(() => new ServerClock(), []);
  const tokenRef = useRef<string | null>(localStorage.getItem(TOKEN_KEY));
  const api = useMemo(() => new Api(clock, () => tokenRef.current), [clock]);

  const [products, setProducts] = useState<Product[] | null>(null);
  const [stock, setStock] = useState<Record<string, Stock>>({});
  const [holds, setHolds] = useState<Hold[]>([]);
  const [stockStatus, setStockStatus] = useState<LiveStatus>('connecting');
  const [holdStatus, setHoldStatus] = useState<LiveStatus>('connecting');
  const [identityReady, setIdentityReady] = useState(false);
  const [panelOpen, setPanelOpen] = useState(false);
  const [paying, setPaying] = useState<Hold | null>(null);
  const [resetOpen, setResetOpen] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [purchases, setPurchases] = useState<Purchase[]>([]);
  const [now, setNow] = useState(Date.now());
  const [online, setOnline] = useState(navigator.onLine);
  const productsRef = useRef<Record<string, Product>>({});

  const toast = useCallback((kind: Toast['kind'], text: string) => {
    const id = Date.now() + Math.random();
    setToasts((all) => [...all.slice(-3), { id, kind, text }]);
    setTimeout(() => setToasts((all) => all.filter((t) => t.id !== id)), kind === 'error' ? 7000 : 4000);
  }, []);
  const fail = useCallback((error: unknown) => toast('error', error instanceof ApiError ? error.message : 'Something went wrong'), [toast]);

  const byId = useMemo(() => Object.fromEntries((products ?? []).map((p) => [p.id ?? '', p])), [products]);
  productsRef.current = byId;

  const loadProducts = useCallback(async () => {
    const list = await api.listProducts();
    setProducts(list);
    setStock((s) => stockFromProducts(list, s));
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
  }, [api]);

  // Identity: created on the first visit and kept in localStorage, so a reload keeps holds and countdowns. Tokens
  // expire (flashsale.token-ttl), so a returning visitor's token is renewed; an expired or foreign one starts afresh.
  useEffect(() => {
    const keep = (credentials: { token?: string }) => {
      tokenRef.current = credentials.token ?? null;
      if (credentials.token) localStorage.setItem(TOKEN_KEY, credentials.token);
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
    loadProducts().catch(fail);
    api.recentPurchases()
      .then((recent) => setPurchases((shown) => addPurchases(shown, recent.map((p) => ({
        productId: p.productId ?? '', handle: p.handle ?? '', quantity: p.quantity ?? 0, at: p.at ?? '',
      })))))
      .catch(fail);
  }, [api, fail, loadHolds, loadProducts]);

  // Live stock for everyone.
  useEffect(() => openLive({
    path: '/ws/stock',
    onStatus: setStockStatus,
    onMessage: (message) => {
      if (message.type === 'snapshot') {
        // A snapshot follows a (re)connect or a catalogue change (e.g. a sale window moved): reload the products.
        clock.observeExact(Date.parse(message.serverTime), Date.now());
        setStock(applySnapshot(message));
        loadProducts().catch(fail);
      } else if (message.type === 'purchase') {
        setPurchases((shown) => addPurchases(shown, [message]));
      } else if (message.type === 'stock') {
        setStock((s) => applyStock(s, message.productId, message));
        if (!productsRef.current[message.productId]) loadProducts().catch(fail);
      }
    },
  }), [clock, fail, loadProducts]);

  // My holds, pushed (an expiry comes from the worker, not from polling); a reconnect reloads them.
  useEffect(() => {
    if (!identityReady) return;
    return openLive({
      path: '/ws/shopper',
      token: () => tokenRef.current,
      onStatus: (status) => {
        setHoldStatus(status);
        if (status === 'live') loadHolds().catch(fail);
      },
      onMessage: (message) => {
        if (message.type !== 'hold') return;
        changeHolds((all) => upsertHold(all, holdFromMessage(message, all.find((h) => h.id === message.id))));
        if (message.change === 'EXPIRED') {
          toast('info', `Your hold on ${productsRef.current[message.productId]?.name ?? 'a product'} expired — the stock went back`);
        }
      },
    });
  }, [identityReady, fail, loadHolds, toast, changeHolds]);

  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);

  // Countdowns tick four times a second.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);

  const remaining = useCallback((hold: Hold) => remainingMs(hold.expiresAt ?? '', clock, now), [clock, now]);
  const activeHolds = holds.filter((h) => h.status === 'ACTIVE');
  const latest = holds.find((h) => h.createdAt && h.expiresAt);
  const holdLengthMs = latest ? Math.round((Date.parse(latest.expiresAt!) - Date.parse(latest.createdAt!)) / 1000) * 1000 : DEFAULT_HOLD_MS;

  const reserve = async (product: Product, quantity: number) => {
    setBusy(product.id ?? null);
    try {
      const hold = await api.reserve(product.id!, quantity);
      changeHolds((all) => upsertHold(all, hold));
      toast('success', `Reserved ${quantity} × ${product.name}. It is yours until the timer runs out.`);
    } catch (error) {
      fail(error);
    } finally {
      setBusy(null);
    }
  };

  const pay = async (hold: Hold) => {
    try {
      const done = await api.complete(hold.id!);
      changeHolds((all) => upsertHold(all, done));
      setPaying(null);
      toast('success', `Paid ${formatPrice(done.amountCents ?? 0, byId[done.productId ?? '']?.currency)} — enjoy your ${byId[done.productId ?? '']?.name ?? 'purchase'}!`);
    } catch (error) {
      fail(error);
      if (error instanceof ApiError && error.code === 'HOLD_EXPIRED') setPaying(null);
    }
  };

  const release = async (hold: Hold) => {
    try {
      const released = await api.cancel(hold.id!);
      changeHolds((all) => upsertHold(all, released));
      toast('success', `Released ${byId[hold.productId ?? '']?.name ?? 'your hold'}: the stock went back.`);
    } catch (error) {
      fail(error);
    }
  };

  const reset = async (key: string) => {
    try {
      await api.resetDemo(key);
      setResetOpen(false);
      await Promise.all([loadProducts(), loadHolds()]);
      toast('success', 'Demo data reset.');
    } catch (error) {
      fail(error);
    }
  };

  // "Live" means both streams are up and this shopper is known, so every control works.
  const live = !online ? 'offline'
    : stockStatus === 'live' && identityReady && holdStatus === 'live' ? 'live'
      : stockStatus === 'connecting' && holdStatus === 'connecting' ? 'connecting' : 'reconnecting';
  const liveLabel = { live: 'Live', connecting: 'Connecting…', reconnecting: 'Reconnecting…', offline: 'Offline' }[live];

  return (
    <>
      <header className="top">
        <div className="brand">Flash Drop</div>
        <span className={`live live-${live}`} data-testid="live-indicator">
          <span className="dot" aria-hidden="true" />
          {liveLabel}
        </span>
        <button type="button" className="holds-button" aria-expanded={panelOpen} onClick={() => setPanelOpen((o) => !o)}>
          Your holds <span className="count" aria-label={`${activeHolds.length} active`}>{activeHolds.length}</span>
        </button>
      </header>
      <main>
        <section className="grid" aria-label="Products" aria-busy={products === null}>
          {products === null
            ? Array.from({ length: 6 }, (_, i) => <ProductSkeleton key={i} />)
            : products.map((product) => {
              const mine = activeHolds.find((h) => h.productId === product.id);
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
                  remainingForMe={remainingForMe(product, holds)}
                  busy={busy === product.id || !identityReady}
                  onReserve={(quantity) => reserve(product, quantity)}
                />
              );
            })}
        </section>
        <ActivityFeed purchases={purchases} products={byId} serverNow={clock.now(now)} />
      </main>
      <footer className="bottom">
        <button type="button" className="link" onClick={() => setResetOpen(true)}>Reset demo data</button>
        {' · '}
        <a href="#admin">Operator dashboard</a>
      </footer>
      <HoldsPanel
        open={panelOpen}
        holds={holds}
        products={byId}
        remaining={remaining}
        onClose={() => setPanelOpen(false)}
        onPay={setPaying}
        onRelease={release}
      />
      <PaymentDialog hold={paying} product={paying ? byId[paying.productId ?? ''] : undefined}
        remaining={paying ? remaining(paying) : 0} onPay={pay} onClose={() => setPaying(null)} />
      <ResetDialog open={resetOpen} onReset={reset} onClose={() => setResetOpen(false)} />
      <Toasts toasts={toasts} onDismiss={(id) => setToasts((all) => all.filter((t) => t.id !== id))} />
    </>
  );
}
