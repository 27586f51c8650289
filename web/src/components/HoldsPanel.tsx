import { useEffect, useRef, type RefObject } from 'react';
import type { Hold, Order, Product } from '../api/client';
import { cartTotal, earliest, orderTotal } from '../checkout';
import { URGENT_MS, formatCountdown } from '../clock';
import { formatPrice, formatTime } from '../format';
import { timeIsUp } from '../state';
import { useFocusTrap, useMedia } from '../useFocusTrap';

/** The phone layout, where the panel is a bottom sheet over a backdrop (styles.css: the panel's breakpoint). */
const SHEET = '(max-width: 759px)';

interface Props {
  open: boolean;
  holds: Hold[];
  products: Record<string, Product>;
  remaining: (hold: Hold) => number;
  /** Focus goes here when the panel opens, and when the row whose button had it goes away (paid, released). */
  headingRef: RefObject<HTMLHeadingElement | null>;
  onClose: () => void;
  onPay: (hold: Hold) => void;
  /** Pays every hold with time left as one order. */
  onPayAll: (holds: Hold[]) => void;
  /** The shopper's orders (from the server) and a receipt to open. */
  orders: Order[];
  onReceipt: (order: Order) => void;
  onRelease: (hold: Hold) => void;
  /** A hold whose time is up offers a new one of the same. */
  onReserveAgain: (hold: Hold) => void;
  /** Reserving reaches the shop (not offline, the shop answers). */
  canReserve: boolean;
  /** The holds whose release is being tried again (its answer was lost). */
  retrying?: Readonly<Record<string, true>>;
}

const ENDED_LABEL: Record<string, string> = { COMPLETED: 'Paid', CANCELLED: 'Released', EXPIRED: 'Expired' };

/**
 * The caller's holds: a side drawer under the header on desktop (it never covers its own toggle), a bottom sheet
 * over a backdrop on phones. It takes focus when it opens and closes on Escape (the caller gives focus back).
 */
export function HoldsPanel({ open, holds, products, remaining, headingRef, onClose, onPay, onPayAll, orders, onReceipt, onRelease, onReserveAgain, canReserve, retrying = {} }: Props) {
  const panel = useRef<HTMLElement>(null);
  // On phones the sheet is modal (a backdrop covers the page): keyboard focus stays inside while it is open.
  const sheet = useMedia(SHEET);
  useFocusTrap(panel, headingRef, open && sheet);
  const active = holds.filter((h) => h.status === 'ACTIVE');
  const history = holds.filter((h) => h.status !== 'ACTIVE');
  const payable = active.filter((h) => !timeIsUp(h, remaining(h)));
  const first = earliest(payable);
  useEffect(() => {
    if (open) headingRef.current?.focus();
  }, [open, headingRef]);
  return (
    <>
      <div className={`panel-backdrop${open ? ' panel-backdrop-open' : ''}`} aria-hidden="true" onClick={onClose} />
      <aside ref={panel} id="holds-panel" className={`panel${open ? ' panel-open' : ''}`} aria-labelledby="holds-heading" aria-hidden={!open} inert={!open}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.stopPropagation();
            onClose();
          }
        }}>
        <header className="panel-header">
          <h2 id="holds-heading" ref={headingRef} tabIndex={-1}>Your holds</h2>
          <button type="button" className="ghost" onClick={onClose} aria-label="Close your holds">✕</button>
        </header>
        {active.length === 0 && <p className="empty">No active holds. Reserve something before it is gone.</p>}
        <ul className="holds" aria-label="Active holds">
          {active.map((hold) => {
            const product = products[hold.productId ?? ''];
            const left = remaining(hold);
            const over = timeIsUp(hold, left);
            const urgent = !over && left <= URGENT_MS;
            const total = Date.parse(hold.expiresAt ?? '') - Date.parse(hold.createdAt ?? '');
            const fraction = total > 0 ? Math.min(1, left / total) : 0;
            return (
              <li key={hold.id} className={`hold${urgent ? ' urgent' : ''}`} data-hold-id={hold.id}>
                <div className="hold-main">
                  <strong>{product?.name ?? 'Loading…'}</strong>
                  <span>× {hold.quantity} · {formatPrice(hold.amountCents ?? 0, product?.currency)}</span>
                </div>
                <div className="countdown" role="timer" aria-label={left > 0 ? `${formatCountdown(left)} left` : 'Expired'}>
                  <span className="countdown-text" data-testid="countdown">{left > 0 ? formatCountdown(left) : 'Expired'}</span>
                  <div className="bar"><div className={`bar-fill${fraction < 0.2 ? ' bar-low' : ''}`} style={{ width: `${fraction * 100}%` }} /></div>
                </div>
                {over ? (
                  <div className="hold-actions">
                    <button type="button" className="primary" aria-disabled={!canReserve}
                      onClick={() => canReserve && onReserveAgain(hold)}>Reserve again</button>
                  </div>
                ) : (
                  <div className="hold-actions">
                    <button type="button" className="primary" onClick={() => onPay(hold)}>
                      {urgent ? 'Pay now' : 'Pay'}
                    </button>
                    <button type="button" className="ghost" onClick={() => onRelease(hold)}>
                      {retrying[hold.id ?? ''] ? 'Trying again…' : 'Release'}
                    </button>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
        {payable.length >= 2 && (
          <div className="cart" data-testid="cart">
            <p><strong>{cartTotal(payable, products)}</strong> for {payable.length} holds
              {first && <span className="muted"> · the first ends in {formatCountdown(remaining(first))}</span>}</p>
            <button type="button" className="primary" onClick={() => onPayAll(payable)}>
              {retrying.cart ? 'Trying again…' : 'Pay all'}
            </button>
          </div>
        )}
        {orders.length > 0 && (
          <>
            <h3>Your orders</h3>
            <ul className="history orders" aria-label="Your orders">
              {orders.map((order) => (
                <li key={order.id} data-order-id={order.id}>
                  <span>#{order.number} · {(order.lines ?? []).length} {(order.lines ?? []).length === 1 ? 'item' : 'items'} · {orderTotal(order)}</span>
                  <time dateTime={order.createdAt}>{formatTime(order.createdAt)}</time>
                  <button type="button" className="link" onClick={() => onReceipt(order)} aria-label={`Receipt of order ${order.number}`}>Receipt</button>
                </li>
              ))}
            </ul>
          </>
        )}
        {history.length > 0 && (
          <>
            <h3>History</h3>
            <ul className="history" aria-label="Past holds">
              {history.map((hold) => (
                <li key={hold.id} data-hold-id={hold.id}>
                  <span>{products[hold.productId ?? '']?.name ?? 'Loading…'} × {hold.quantity}</span>
                  <span className={`badge badge-${hold.status?.toLowerCase()}`}>{ENDED_LABEL[hold.status ?? ''] ?? hold.status}</span>
                  <time dateTime={hold.endedAt ?? undefined}>{formatTime(hold.endedAt)}</time>
                </li>
              ))}
            </ul>
          </>
        )}
      </aside>
    </>
  );
}
