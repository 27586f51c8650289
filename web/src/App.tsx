import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Api, ApiError, type Hold, type Product } from './api/client';
import { URGENT_MS, formatCountdown, remainingMs } from './clock';
import { ActivityFeed } from './components/ActivityFeed';
import { CatalogueNotice } from './components/CatalogueNotice';
import { HoldsPanel } from './components/HoldsPanel';
import { PaymentDialog, type Payment } from './components/PaymentDialog';
import { ProductCard, ProductSkeleton } from './components/ProductCard';
import { Toasts, useToasts } from './components/Toasts';
import { WaitingRoom } from './components/WaitingRoom';
import { formatPrice } from './format';
import { useClock } from './hooks/useClock';
import { openRoom } from './hooks/useRoute';
import { CONNECTION_LABEL, connectionOf, paused, pausedMessage } from './connection';
import { openLive, wakeStreams, type LiveStatus } from './live';
import {
  ADMISSION_URGENT_MS, canComputeDrawKeys, confirmsPlace, drawKey, inPlay, isQueueMessage, leftPlace, mergeTicket,
  queueCard, readPlace, roomView, ticketFrom, type Place, type Ticket,
} from './queue';
import { forgetAllRooms, forgetRoom, joinedRooms, rememberRoom, roomsToRead } from './rooms';
import { maxQuantity, mayStillTake, salePhase } from './sale';
import { rulesFrom, type ShopRules } from './settings';
import {
  addPurchases, applyBatch, applyReadStock, applySnapshot, expiredMeanwhile, holdFromMessage, holdsFromList, stockFromPoll,
  shownStock, stockFromProducts, timeIsUp, upsertHold, versionOf, type Purchase, type Stock,
} from './state';

const TOKEN_KEY = 'flashsale.token';
const HANDLE_KEY = 'flashsale.handle';
// While /ws/stock is unavailable the figures are re-read this often, jittered so a refused crowd does not poll in step.
const POLL_MIN_MS = 5_000;
const POLL_MAX_MS = 10_000;
// While /ws/shopper is down, a place in a waiting room is read this often instead (jittered likewise).
const PLACE_POLL_MIN_MS = 3_000;
const PLACE_POLL_MAX_MS = 6_000;
const RECENT_EXPIRY_MS = 5 * 60_000;
const jittered = (min: number, max: number) => min + Math.random() * (max - min);

type Catalogue = { state: 'loading' } | { state: 'ready' } | { state: 'failed'; retryAt: number };

export function App({ roomId }: { roomId: string | null }) {
  const { clock, now } = useClock();
  const tokenRef = useRef<string | null>(localStorage.getItem(TOKEN_KEY));
  // Any answer from the shop wakes the streams waiting out their backoff (see live.ts).
  const api = useMemo(() => new Api(clock, () => tokenRef.current, wakeStreams), [clock]);
  // The hold length and limits the page shows, from GET /api/settings: the catalogue is shown only with them.
  const [rules, setRules] = useState<ShopRules | null>(null);
  const rulesRef = useRef(rules);
  rulesRef.current = rules;

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
  // The shopper's id (every visit's credentials carry it): what checking one's place in a published draw needs.
  const [shopperId, setShopperId] = useState<string | null>(null);
  const [panelOpen, setPanelOpen] = useState(false);
  const [payment, setPayment] = useState<Payment | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [purchases, setPurchases] = useState<Purchase[]>([]);
  const [online, setOnline] = useState(navigator.onLine);
  const [networkDown, setNetworkDown] = useState(false);
  // What the server said a refused reserve may still take of a limited product, until the holds are re-read.
  const [limitLeft, setLimitLeft] = useState<Record<string, number>>({});
  const [announcement, setAnnouncement] = useState('');
  // The shopper's place in each queued product's waiting room (undefined: not read yet).
  const [places, setPlaces] = useState<Record<string, Place>>({});
  const { toasts, toast, dismiss } = useToasts();
  const productsRef = useRef<Record<string, Product>>({});
  const stockRef = useRef(stock);
  stockRef.current = stock;
  const holdsButton = useRef<HTMLButtonElement>(null);
  const panelHeading = useRef<HTMLHeadingElement>(null);
  const roomHeading = useRef<HTMLHeadingElement>(null);
  const pageRef = useRef<HTMLDivElement>(null);

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
      const [list, read] = await Promise.all([
        api.listProducts(),
        rulesRef.current ?? api.settings().then((settings) => {
          const told = rulesFrom(settings);
          if (!told) throw new ApiError({ title: 'Bad settings', status: 200, detail: 'The shop sent settings the page cannot read.' });
          return told;
        }),
      ]);
      loadAttempts.current = 0;
      setNetworkDown(false);
      setRules(read);
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
  const holdsRef = useRef(holds);
  holdsRef.current = holds;
  // Each expiry is told once, whether the stream pushed it or a re-read found it.
  const toldExpired = useRef(new Set<string>());
  const tellExpired = useCallback((hold: Hold, meanwhile: boolean) => {
    if (!hold.id || toldExpired.current.has(hold.id)) return;
    toldExpired.current.add(hold.id);
    const name = productsRef.current[hold.productId ?? '']?.name ?? 'an item';
    toast('info', meanwhile
      ? `Your hold on ${name} expired while the page was reconnecting — the stock went back.`
      : `Your hold on ${name} expired — the stock went back`);
  }, [toast]);
  const loadHolds = useCallback(async () => {
    const revision = holdsRevision.current;
    const items = (await api.listHolds()).items ?? [];
    for (const hold of expiredMeanwhile(holdsRef.current, items)) tellExpired(hold, true);
    setHolds((all) => holdsFromList(items, all, holdsRevision.current !== revision));
    setLimitLeft({});
  }, [api, tellExpired]);

  // Places: read on load, when /ws/shopper (re)connects, after a reserve, and every few seconds while the stream is
  // down; pushed as queue messages otherwise. A read is merged so that it never takes a place back (see readPlace).
  const placesRevision = useRef<Record<string, number>>({});
  const changePlace = useCallback((productId: string, change: (current: Place | undefined) => Place) => {
    placesRevision.current[productId] = (placesRevision.current[productId] ?? 0) + 1;
    setPlaces((all) => ({ ...all, [productId]: change(all[productId]) }));
  }, []);
  const loadPlace = useCallback(async (productId: string) => {
    const revision = placesRevision.current[productId] ?? 0;
    const read = await api.myTicket(productId);
    if (!read) forgetRoom(productId);
    setPlaces((all) => ({
      ...all,
      [productId]: readPlace(all[productId], productId, read && ticketFrom(read), (placesRevision.current[productId] ?? 0) !== revision),
    }));
  }, [api]);
  const queuedIds = useCallback(() => Object.values(productsRef.current).filter((p) => p.queue).map((p) => p.id!), []);
  // Only the rooms this shopper joined can hold a place (see rooms.ts): the others are known without asking.
  const loadPlaces = useCallback((ids: string[]) => {
    const { read, notIn } = roomsToRead(ids, joinedRooms());
    if (notIn.length > 0) {
      setPlaces((all) => {
        const next = { ...all };
        for (const productId of notIn) next[productId] ??= { productId, state: 'NOT_IN_QUEUE', leftJoinedAt: null };
        return next;
      });
    }
    for (const productId of read) {
      loadPlace(productId).catch(() => {
        // Unknown places are read again shortly; one in play is read by the poll while the stream is down.
        setTimeout(() => void loadPlace(productId).catch(() => {}), jittered(PLACE_POLL_MIN_MS, PLACE_POLL_MAX_MS));
      });
    }
  }, [loadPlace]);

  // Identity: created on the first visit and kept in localStorage, so a reload keeps holds and countdowns. Tokens
  // expire (flashsale.token-ttl), so a returning visitor's token is renewed; an expired or foreign one starts afresh.
  useEffect(() => {
    const keep = (credentials: { shopperId?: string; token?: string; handle?: string }) => {
      tokenRef.current = credentials.token ?? null;
      setShopperId(credentials.shopperId ?? null);
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
      if (!tokenRef.current) {
        forgetAllRooms(); // a new shopper has joined nothing
        keep(await api.createShopper());
      }
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

  const queuedKey = (products ?? []).filter((p) => p.queue).map((p) => p.id).sort().join(',');
  useEffect(() => {
    if (identityReady && queuedKey) loadPlaces(queuedKey.split(','));
  }, [identityReady, queuedKey, loadPlaces]);

  // The waiting room is a view of its own (see useRoute).
  const lastRoom = useRef<string | null>(null);
  useEffect(() => {
    pageRef.current?.scrollTo({ top: 0 });
    const left = lastRoom.current;
    lastRoom.current = roomId;
    // Back in the shop: focus goes to the button of the card whose room was left.
    if (!roomId && left) document.querySelector<HTMLButtonElement>(`article[data-product-id="${left}"] button.reserve`)?.focus();
  }, [roomId]);

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

  // My holds, pushed (an expiry comes from the worker, not from polling). Every (re)connect re-reads them — what
  // expired meanwhile is told — and retries the read every 1–2 s until it gets through (a shop just back may refuse
  // a request or two), so the page never stays on "Reconnecting…" with stale holds.
  useEffect(() => {
    if (!identityReady) return;
    let resync: ReturnType<typeof setTimeout> | undefined;
    let generation = 0;
    const close = openLive({
      path: '/ws/shopper',
      token: () => tokenRef.current,
      onStatus: (status) => {
        setHoldStatus(status);
        setHoldsSynced(false);
        clearTimeout(resync);
        const current = ++generation;
        if (status === 'live') {
          const reread = () => loadHolds()
            .then(() => { if (current === generation) setHoldsSynced(true); })
            .catch(() => { if (current === generation) resync = setTimeout(reread, jittered(1_000, 2_000)); });
          void reread();
          loadPlaces(queuedIds());
        }
      },
      onMessage: (message) => {
        const news: unknown = message;
        if (isQueueMessage(news)) {
          changePlace(news.productId, (current) => mergeTicket(current, ticketFrom(news)));
          return;
        }
        if (message.type !== 'hold') return;
        changeHolds((all) => upsertHold(all, holdFromMessage(message, all.find((h) => h.id === message.id))));
        if (message.change === 'EXPIRED') tellExpired({ id: message.id, productId: message.productId }, false);
      },
    });
    return () => {
      generation += 1;
      clearTimeout(resync);
      close();
    };
  }, [identityReady, loadHolds, tellExpired, changeHolds, changePlace, loadPlaces, queuedIds]);

  // /ws/shopper down: a place in play is read every 3–6 s (jittered, so a crowd does not read in step).
  const placesInPlay = Object.values(places).filter(inPlay).map((p) => p.productId).sort().join(',');
  useEffect(() => {
    if (holdStatus === 'live' || !identityReady || !placesInPlay) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () => {
      loadPlaces(placesInPlay.split(','));
      timer = setTimeout(poll, jittered(PLACE_POLL_MIN_MS, PLACE_POLL_MAX_MS));
    };
    timer = setTimeout(poll, jittered(PLACE_POLL_MIN_MS, PLACE_POLL_MAX_MS));
    return () => clearTimeout(timer);
  }, [holdStatus, identityReady, placesInPlay, loadPlaces]);

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

  // A request that could not reach the shop marks it "not answering" until one gets through: probe every 2–3 s
  // (jittered, so a crowd does not knock in step). The first answer wakes the streams (see live.ts).
  useEffect(() => {
    if (!networkDown) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const probe = () => {
      void loadProducts();
      timer = setTimeout(probe, jittered(2_000, 3_000));
    };
    timer = setTimeout(probe, jittered(2_000, 3_000));
    return () => clearTimeout(timer);
  }, [networkDown, loadProducts]);

  const remaining = useCallback((hold: Hold) => remainingMs(hold.expiresAt ?? '', clock, now), [clock, now]);
  const activeHolds = holds.filter((h) => h.status === 'ACTIVE');
  // The holds still running: one whose time is up is over (Expired at zero), before the server's word arrives.
  const runningHolds = activeHolds.filter((h) => !timeIsUp(h, remaining(h)));
  const holdLengthMs = rules?.holdMs ?? 0;
  const maxPerRequest = rules?.maxPerRequest ?? 1;

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

  // A place that changes is told: admission in a toast and assertively (also on a first read: the turn is running),
  // a lapse or a sell-out of a place in play in a toast. An admission's last seconds are announced once; at its end
  // the place is read again once (the keeper lapses it at its next run; the stream may be down).
  const seenPlaces = useRef<Record<string, Place>>({});
  const admissionWarned = useRef(new Set<string>());
  const admissionEnded = useRef(new Set<string>());
  useEffect(() => {
    for (const place of Object.values(places)) {
      const before = seenPlaces.current[place.productId];
      if (before === place) continue;
      seenPlaces.current[place.productId] = place;
      if (place.state === 'NOT_IN_QUEUE' || (before?.state === place.state && before.joinedAt === place.joinedAt)) continue;
      const name = nameOf(place.productId);
      const admissionLeft = remainingMs(place.admissionExpiresAt ?? '', clock);
      if (place.state === 'ADMITTED' && admissionLeft > 0) {
        const left = formatCountdown(admissionLeft);
        toast('success', `You're in for ${name} — reserve within ${left}.`);
        setAnnouncement(`You're in: reserve ${name} within ${left}.`);
      } else if (inPlay(before) && place.state === 'LAPSED') {
        toast('info', `Your turn for ${name} lapsed: it went to the next in line.`);
      } else if (inPlay(before) && place.state === 'SOLD_OUT') {
        toast('info', `${name} sold out before your turn. Nothing was charged.`);
      }
    }
  }, [places, clock, toast]); // nameOf reads this render's products
  useEffect(() => {
    for (const place of Object.values(places)) {
      if (place.state !== 'ADMITTED') continue;
      const key = `${place.productId}|${place.joinedAt}`;
      const left = remainingMs(place.admissionExpiresAt ?? '', clock, now);
      if (left > 0 && left <= ADMISSION_URGENT_MS && !admissionWarned.current.has(key)) {
        admissionWarned.current.add(key);
        setAnnouncement(`${Math.ceil(left / 1000)} seconds left to reserve ${nameOf(place.productId)}.`);
      } else if (left <= 0 && !admissionEnded.current.has(key)) {
        admissionEnded.current.add(key);
        setAnnouncement(`Your turn to reserve ${nameOf(place.productId)} ran out.`);
        setTimeout(() => void loadPlace(place.productId).catch(() => {}), jittered(1_000, 2_000));
      }
    }
  });

  const beenLive = useRef(false);
  const live = connectionOf({
    online, shopSilent: networkDown, stockStatus, holdStatus, synced: stockSynced && identityReady && holdsSynced,
    catalogueReady: catalogue.state === 'ready', beenLive: beenLive.current,
  });
  if (live === 'live') beenLive.current = true;
  const liveLabel = CONNECTION_LABEL[live];
  const offline = paused(live);
  const pausedText = pausedMessage(live);
  const pausedLabel = live === 'not-answering' ? 'Shop not answering' : 'Offline';

  useEffect(() => {
    if (pausedText) toast('error', pausedText, 'offline');
    else dismiss('offline');
  }, [pausedText, toast, dismiss]);

  const reserve = async (product: Product, quantity: number) => {
    const productId = product.id!;
    if (busy === productId) return;
    const before = runningHolds.find((h) => h.productId === productId);
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
      if (product.queue) loadPlaces([productId]); // the admission was used, or the refusal said where we stand
    }
  };

  const join = async (product: Product) => {
    const productId = product.id!;
    if (busy === productId) return;
    setBusy(productId);
    try {
      const ticket = ticketFrom(await api.joinQueue(productId));
      rememberRoom(productId);
      changePlace(productId, (current) => mergeTicket(current, ticket));
      toast('info', `You're in the waiting room for ${product.name}.`);
      openRoom(productId);
    } catch (error) {
      fail(error);
      refreshProduct(productId);
    } finally {
      setBusy(null);
    }
  };

  const leave = async (product: Product) => {
    const productId = product.id!;
    try {
      await api.leaveQueue(productId);
      forgetRoom(productId);
      changePlace(productId, (current) => leftPlace(current, productId));
      toast('info', `You left the waiting room for ${product.name}: joining again puts you at the back.`);
      roomHeading.current?.focus(); // the Leave button is gone
    } catch (error) {
      fail(error);
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

  /** A new hold of what an expired one held (as much as may be taken now). */
  const reserveAgain = (hold: Hold) => {
    const product = byId[hold.productId ?? ''];
    if (product) void reserve(product, Math.min(hold.quantity ?? 1, maxQuantityOf(product)));
  };
  // The card of a product whose last hold expired says so for a few minutes, offering to reserve again.
  const recentlyExpired = (productId?: string) => {
    const last = holds.find((h) => h.productId === productId);
    const endedAt = Date.parse(last?.endedAt ?? last?.expiresAt ?? '');
    return last?.status === 'EXPIRED' && clock.now(now) - endedAt < RECENT_EXPIRY_MS ? last : undefined;
  };

  const roomProduct = roomId && byId[roomId]?.queue ? byId[roomId] : undefined;
  const roomHold = roomProduct ? runningHolds.find((h) => h.productId === roomProduct.id) : undefined;
  const maxQuantityOf = (product: Product) => {
    return maxQuantity(maxPerRequest, shownStock(stock, product).availableStock, mayStillTake(product, holds, limitLeft[product.id ?? '']));
  };
  const loadRoomStatus = useCallback(() => api.queueStatus(roomId ?? ''), [api, roomId]);
  // One's own place in the published draw: one's key by the recipe, and the page of the draw around one's position.
  const checkDraw = useCallback(async (seed: string, position: number): Promise<boolean> => {
    const key = await drawKey(seed, shopperId ?? '');
    const page = await api.queueDraw(roomId ?? '', Math.max(1, position - 1), 3);
    const places = (page.places ?? []).map((place) => ({ position: place.position ?? 0, key: place.key ?? '' }));
    return confirmsPlace(places, position, key);
  }, [api, roomId, shopperId]);

  const closePanel = () => {
    setPanelOpen(false);
    // After the sheet has closed: while open, its focus trap would take the focus back.
    requestAnimationFrame(() => holdsButton.current?.focus());
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
          Your holds <span className="count" aria-label={`${runningHolds.length} active`}>{runningHolds.length}</span>
        </button>
      </header>
      <div className="page" ref={pageRef}>
        <main className={offline ? 'inactive' : undefined}>
          {roomProduct ? (
            <WaitingRoom
              key={roomProduct.id}
              product={roomProduct}
              available={shownStock(stock, roomProduct).availableStock}
              total={shownStock(stock, roomProduct).totalStock}
              view={roomView(places[roomProduct.id!], roomProduct, clock.now(now))}
              myHold={roomHold}
              myHoldRemaining={roomHold ? remaining(roomHold) : undefined}
              bought={holds.some((h) => h.productId === roomProduct.id && h.status === 'COMPLETED')}
              saleUpcoming={salePhase(roomProduct, clock.now(now)).phase === 'upcoming'}
              holdLengthMs={holdLengthMs}
              maxQuantity={maxQuantityOf(roomProduct)}
              busy={busy === roomProduct.id}
              offline={offline}
              pausedLabel={pausedLabel}
              polling={holdStatus !== 'live'}
              headingRef={roomHeading}
              loadStatus={loadRoomStatus}
              drawPosition={places[roomProduct.id!]?.state !== 'NOT_IN_QUEUE' ? (places[roomProduct.id!] as Ticket | undefined)?.position ?? null : null}
              canCheckDraw={shopperId !== null && canComputeDrawKeys()}
              onCheckDraw={checkDraw}
              onJoin={() => void join(roomProduct)}
              onLeave={() => void leave(roomProduct)}
              onReserve={(quantity) => void reserve(roomProduct, quantity)}
              onPay={(hold) => setPayment({ hold, paid: false })}
            />
          ) : products === null && catalogue.state === 'failed' ? (
            <CatalogueNotice kind="failed" retryInMs={catalogue.retryAt - now} onRetry={() => void loadProducts()} />
          ) : products?.length === 0 ? (
            <CatalogueNotice kind="empty" />
          ) : (
            <section className="grid" aria-label="Products" aria-busy={products === null || rules === null}>
              {products === null || rules === null
                ? Array.from({ length: 6 }, (_, i) => <ProductSkeleton key={i} />)
                : products.map((product) => {
                  const mine = activeHolds.find((h) => h.productId === product.id) ?? recentlyExpired(product.id);
                  const running = mine !== undefined && !timeIsUp(mine, remaining(mine));
                  const sale = salePhase(product, clock.now(now));
                  const shown = shownStock(stock, product);
                  return (
                    <ProductCard
                      key={product.id}
                      product={product}
                      stock={shown}
                      myHold={mine}
                      myHoldRemaining={mine ? remaining(mine) : undefined}
                      holdLengthMs={holdLengthMs}
                      maxPerRequest={maxPerRequest}
                      sale={sale}
                      remainingForMe={mayStillTake(product, holds, limitLeft[product.id ?? ''])}
                      busy={busy === product.id}
                      ready={identityReady && (!product.queue || places[product.id ?? ''] !== undefined)}
                      offline={offline}
                      pausedLabel={pausedLabel}
                      queue={product.queue ? queueCard(places[product.id ?? ''], product, {
                        soldOut: shown.availableStock === 0, saleEnded: sale.phase === 'ended', holding: running, serverNow: clock.now(now),
                      }) : undefined}
                      onReserve={(quantity) => reserve(product, quantity)}
                      onJoin={() => void join(product)}
                      onOpenRoom={() => openRoom(product.id!)}
                    />
                  );
                })}
            </section>
          )}
          {!roomProduct && <ActivityFeed purchases={purchases} products={byId} serverNow={clock.now(now)} myHandle={handle} />}
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
        onReserveAgain={reserveAgain}
        canReserve={!offline}
      />
      <PaymentDialog payment={payment} product={payment ? byId[payment.hold.productId ?? ''] : undefined} handle={handle}
        remaining={payment ? remaining(payment.hold) : 0} onPay={pay} onClose={() => setPayment(null)}
        onReserveAgain={(hold) => { setPayment(null); reserveAgain(hold); }} canReserve={!offline}
        returnFocus={() => roomHeading.current ?? panelHeading.current} />
      <div className="visually-hidden" aria-live="assertive" data-testid="hold-announcement">{announcement}</div>
    </div>
  );
}
