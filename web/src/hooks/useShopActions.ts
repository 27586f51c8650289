// What the shopper does — reserve, join or leave a waiting room, pay, release — and what the page then says. Each
// action ends by re-reading what it changed from the server (the product's figure; a queued product's place), and a
// refused reserve updates the card at once from what the refusal carries. Each is retried while its answer is lost
// (retry.ts), its control saying "Trying again…"; a reserve sends one Idempotency-Key per press with every attempt.
import { useState, type RefObject } from 'react';
import { ApiError, type Api, type Hold, type Order, type Product, type Retried } from '../api/client';
import { formatCountdown, remainingMs, type ServerClock } from '../clock';
import type { Checkout } from '../components/CheckoutDialog';
import type { Payment } from '../components/PaymentDialog';
import type { Toast, ToastAction } from '../components/Toasts';
import { formatPrice } from '../format';
import { intentKey } from '../retry';
import { openRoom } from './useRoute';
import type { Holds } from './useHolds';
import type { Orders } from './useOrders';
import type { QueuePlaces } from './useQueuePlaces';
import type { StockStream } from './useStockStream';

export interface ShopContext {
  api: Api;
  clock: ServerClock;
  holds: Holds;
  orders: Orders;
  stock: StockStream;
  places: QueuePlaces;
  byId: Record<string, Product>;
  nameOf: (productId: string | undefined) => string;
  /** The stepper's maximum for a product now. */
  maxQuantityOf: (product: Product) => number;
  toast: (kind: Toast['kind'], text: string, key?: string, action?: ToastAction) => void;
  fail: (error: unknown) => void;
  /** Where focus goes when the control pressed is gone: the holds panel's and the waiting room's headings. */
  panelHeading: RefObject<HTMLHeadingElement | null>;
  roomHeading: RefObject<HTMLHeadingElement | null>;
}

export interface ShopActions {
  /** The product whose reserve or join is on its way. */
  busy: string | null;
  /** The products (reserve, join) and holds (pay, release) whose call is being tried again: its answer was lost. */
  retrying: Readonly<Record<string, true>>;
  /** The payment dialog's hold (and whether it is paid). */
  payment: Payment | null;
  openPayment: (hold: Hold) => void;
  closePayment: () => void;
  reserve: (product: Product, quantity: number) => Promise<void>;
  join: (product: Product) => Promise<void>;
  leave: (product: Product) => Promise<void>;
  pay: (hold: Hold) => Promise<void>;
  /** The cart dialog (holds to pay as one order) or an order's receipt. */
  checkout: Checkout | null;
  openCheckout: (holds: Hold[]) => void;
  openReceipt: (order: Order) => void;
  closeCheckout: () => void;
  /** Pays the holds as one order, all or none, with one Idempotency-Key for every attempt of this press. */
  payAll: (holds: Hold[]) => Promise<void>;
  release: (hold: Hold) => Promise<void>;
  /** A new hold of what an expired one held (as much as may be taken now). */
  reserveAgain: (hold: Hold) => void;
}

export function useShopActions(shop: ShopContext): ShopActions {
  const { api, clock, holds, stock, places, byId, nameOf, toast, fail } = shop;
  const [busy, setBusy] = useState<string | null>(null);
  const [payment, setPayment] = useState<Payment | null>(null);
  const [checkout, setCheckout] = useState<Checkout | null>(null);
  const [retrying, setRetrying] = useState<Readonly<Record<string, true>>>({});

  /** A retried call of `id`'s control: it says "Trying again…" from the first retry until `settled(id)`. */
  const tried = (id: string): Retried => ({ onRetry: () => setRetrying((r) => (r[id] ? r : { ...r, [id]: true })) });
  const settled = (id: string) => setRetrying((r) => {
    if (!r[id]) return r;
    const rest = { ...r };
    delete rest[id];
    return rest;
  });

  /** A refused reserve updates the card at once from what the refusal carries, then says why in the product's name. */
  const refused = (product: Product, error: unknown, versionAtSend: number) => {
    const productId = product.id!;
    if (error instanceof ApiError && error.code === 'OUT_OF_STOCK' && typeof error.problem.availableStock === 'number') {
      const available = error.problem.availableStock;
      stock.told(productId, { availableStock: available }, versionAtSend);
      toast('error', available === 0 ? `${product.name} just sold out.` : `Only ${available} of ${product.name} left: choose ${available} or fewer.`);
    } else if (error instanceof ApiError && error.code === 'LIMIT_EXCEEDED' && typeof error.problem.remaining === 'number') {
      const left = error.problem.remaining;
      holds.limitTold(productId, left);
      toast('error', left === 0 ? `You have reached the limit for ${product.name}.` : `You may reserve ${left} more of ${product.name}.`);
      holds.load().catch(() => {});
    } else {
      fail(error);
    }
  };

  const reserve = async (product: Product, quantity: number) => {
    const productId = product.id!;
    if (busy === productId) return;
    const before = holds.running.find((h) => h.productId === productId);
    const versionAtSend = stock.versionOf(productId);
    setBusy(productId);
    try {
      // One key for this press: every retry of it carries the same, so a reserve that went through is not added to.
      const hold = await api.reserve(productId, quantity, { idempotencyKey: intentKey(), ...tried(productId) });
      holds.put(hold);
      const left = formatCountdown(remainingMs(hold.expiresAt ?? '', clock));
      toast('success', before
        ? `You now hold ${hold.quantity} × ${product.name} — timer reset to ${left}.`
        : `Reserved ${quantity} × ${product.name}: yours for ${left}. Pay before the timer runs out.`,
      undefined, { label: 'Pay', run: () => setPayment({ hold, paid: false }) });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'NETWORK') {
        // Every attempt went unanswered: whether one went through is unknown, so the holds are read again.
        toast('error', `No answer from the shop about ${quantity} × ${product.name}. If it went through, it is under Your holds.`);
        fail(error);
        holds.load().catch(() => {});
      } else {
        refused(product, error, versionAtSend);
      }
    } finally {
      settled(productId);
      setBusy(null);
      stock.refresh(productId);
      if (product.queue) places.read([productId]); // the admission was used, or the refusal said where we stand
    }
  };

  const join = async (product: Product) => {
    const productId = product.id!;
    if (busy === productId) return;
    setBusy(productId);
    try {
      await places.join(productId, tried(productId));
      toast('info', `You're in the waiting room for ${product.name}.`);
      openRoom(productId);
    } catch (error) {
      fail(error);
      stock.refresh(productId);
    } finally {
      settled(productId);
      setBusy(null);
    }
  };

  const leave = async (product: Product) => {
    try {
      await places.leave(product.id!);
      toast('info', `You left the waiting room for ${product.name}: joining again puts you at the back.`);
      shop.roomHeading.current?.focus(); // the Leave button is gone
    } catch (error) {
      fail(error);
    }
  };

  const pay = async (hold: Hold) => {
    try {
      const done = await api.complete(hold.id!, tried(hold.id!));
      holds.put(done);
      setPayment({ hold: done, paid: true });
      shop.orders.load().catch(() => {});
      toast('success', `Paid ${formatPrice(done.amountCents ?? 0, byId[done.productId ?? '']?.currency)} — enjoy your ${nameOf(done.productId)}!`);
    } catch (error) {
      fail(error);
      if (error instanceof ApiError && error.code === 'HOLD_EXPIRED') setPayment(null);
    } finally {
      settled(hold.id!);
      stock.refresh(hold.productId!);
    }
  };

  const CART = 'cart';
  const payAll = async (cart: Hold[]) => {
    try {
      const order = await api.placeOrder(cart.map((h) => h.id!), { idempotencyKey: intentKey(), ...tried(CART) });
      shop.orders.placed(order);
      setCheckout({ order });
      toast('success', `Paid order #${order.number} — ${cart.length} items are yours.`);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'HOLD_NOT_ACTIVE' && typeof error.problem.holdId === 'string') {
        const gone = cart.find((h) => h.id === error.problem.holdId);
        toast('error', `Nothing was charged: your hold on ${nameOf(gone?.productId)} is no longer active.`);
        setCheckout(null);
      } else {
        fail(error);
      }
    } finally {
      settled(CART);
      await holds.load().catch(() => {});
      cart.forEach((h) => stock.refresh(h.productId!));
    }
  };

  const release = async (hold: Hold) => {
    try {
      const released = await api.cancel(hold.id!, tried(hold.id!));
      holds.put(released);
      toast('info', `Released ${nameOf(hold.productId)}: the stock went back.`);
      shop.panelHeading.current?.focus(); // its row (and the button pressed) is gone
    } catch (error) {
      fail(error);
    } finally {
      settled(hold.id!);
      stock.refresh(hold.productId!);
    }
  };

  const reserveAgain = (hold: Hold) => {
    const product = byId[hold.productId ?? ''];
    if (product) void reserve(product, Math.min(hold.quantity ?? 1, shop.maxQuantityOf(product)));
  };

  return {
    busy, retrying, payment, reserve, join, leave, pay, release, reserveAgain, checkout, payAll,
    openCheckout: (cart) => setCheckout({ holds: cart }),
    openReceipt: (order) => setCheckout({ order }),
    closeCheckout: () => setCheckout(null),
    openPayment: (hold) => setPayment({ hold, paid: false }),
    closePayment: () => setPayment(null),
  };
}
