import { useState } from 'react';
import type { Hold, Product } from '../api/client';
import { URGENT_MS, formatCountdown } from '../clock';
import { formatPrice, formatTime } from '../format';
import type { QueueCard } from '../queue';
import { formatLongCountdown, maxQuantity, type SalePhase } from '../sale';
import { timeIsUp, type ShownStock } from '../state';
import { Dialog } from './Dialog';
import { Stepper } from './Stepper';

interface Props {
  product: Product;
  /** The stock to show (see shownStock). */
  stock: ShownStock;
  /** The shopper's hold of this product: running, or over (its time up, or recently expired). */
  myHold?: Hold;
  myHoldRemaining?: number;
  holdLengthMs: number;
  maxPerRequest: number;
  sale: SalePhase;
  /** Units this shopper may still reserve (limit per shopper), or undefined without a limit. */
  remainingForMe?: number;
  /** A reserve of this product is on its way. */
  busy: boolean;
  /** …and its answer was lost: it is being tried again (see retry.ts). */
  retrying?: boolean;
  /** The shopper is known (token ready). */
  ready: boolean;
  offline: boolean;
  /** What the button says while reserving is paused: "Offline", or "Shop not answering". */
  pausedLabel?: string;
  /** A queued product: what its card says and does for this shopper (see queueCard); undefined for the others. */
  queue?: QueueCard;
  onReserve: (quantity: number) => void;
  onJoin: () => void;
  onOpenRoom: () => void;
  /** Opens the payment of the shopper's running hold of this product. */
  onPay: () => void;
}


/**
 * One product. Its controls never lose focus (they are aria-disabled, not disabled, so a keyboard user stays put when
 * the label changes), and every line that comes and goes has its slot reserved, so nothing moves under the pointer
 * when the sale opens or a hold appears.
 */
export function ProductCard({ product, stock, myHold, myHoldRemaining, holdLengthMs, maxPerRequest, sale, remainingForMe, busy, retrying = false, ready, offline, pausedLabel = 'Offline', queue, onReserve, onJoin, onOpenRoom, onPay }: Props) {
  const [quantity, setQuantity] = useState(1);
  const [detailsOpen, setDetailsOpen] = useState(false);
  const { availableStock: available, totalStock: total } = stock;
  const soldOut = available === 0;
  const atLimit = remainingForMe === 0;
  // A queued product sells only to the admitted (or to add to a hold): otherwise its button joins or opens the room.
  const queueAction = queue && queue.action !== 'reserve' ? queue.action : undefined;
  const closed = soldOut || sale.phase !== 'open' || atLimit || offline || queueAction !== undefined;
  const low = !soldOut && available <= Math.max(1, total * 0.1);
  const max = maxQuantity(maxPerRequest, available, remainingForMe);
  const shownQuantity = Math.min(quantity, max);
  const holdLength = formatCountdown(holdLengthMs);
  // At zero the hold is over, whatever the server has yet to say: nothing is added to it; a new hold is offered.
  const expired = myHold !== undefined && timeIsUp(myHold, myHoldRemaining ?? 0);
  const holding = myHold !== undefined && !expired;
  // A press being tried again says so first: the shop may be silent meanwhile, but this press is not given up.
  const label = busy && retrying ? 'Trying again…'
    : offline ? pausedLabel
    : queueAction !== undefined ? (busy ? 'Joining…' : queue!.label)
    : soldOut ? 'Sold out'
      : sale.phase === 'upcoming' ? `Opens in ${formatLongCountdown(sale.opensInMs)}`
        : sale.phase === 'ended' ? 'Sale ended'
          : atLimit ? 'Limit reached'
            : busy ? 'Reserving…'
              : holding ? `Add ${shownQuantity} · timer resets to ${holdLength}`
                : expired ? `Reserve again · ${holdLength}`
                  : `Reserve · ${holdLength}`;
  const canReserve = !closed && ready && !busy;
  const canQueue = !offline && ready && !busy && (queueAction === 'join' || queueAction === 'open');
  const urgent = holding ? (myHoldRemaining ?? 0) <= URGENT_MS : !expired && queue?.urgent === true;
  const press = () => {
    if (queueAction === undefined) {
      if (canReserve) onReserve(shownQuantity);
    } else if (canQueue) {
      if (queueAction === 'join') onJoin();
      else onOpenRoom();
    }
  };
  const headingId = `product-${product.id}`;

  return (
    <article className={`card${soldOut ? ' card-sold-out' : ''}`} aria-labelledby={headingId} data-product-id={product.id}>
      <button type="button" className="card-image" aria-label="Details" aria-describedby={headingId} onClick={() => setDetailsOpen(true)}>
        {product.imageUrl ? <img src={product.imageUrl} alt="" loading="lazy" /> : <span aria-hidden="true">{product.name?.charAt(0)}</span>}
      </button>
      <Dialog open={detailsOpen} title={product.name ?? ''} onClose={() => setDetailsOpen(false)}>
        <div className="details" data-testid="product-details">
          {product.imageUrl && <img src={product.imageUrl} alt="" />}
          <p>{product.description || 'No description.'}</p>
          <p className="price">{formatPrice(product.priceCents ?? 0, product.currency)}</p>
          <div className="dialog-actions">
            <button type="button" className="primary" onClick={() => setDetailsOpen(false)}>Close</button>
          </div>
        </div>
      </Dialog>
      <div className="card-body">
        <h2 id={headingId}>{product.name}</h2>
        <div className="price-row">
          <p className="price">{formatPrice(product.priceCents ?? 0, product.currency)}</p>
          <Stepper label={`Quantity of ${product.name}`} value={shownQuantity} max={max} closed={closed} onChange={setQuantity} />
        </div>
        <p className={`stock-line${low ? ' stock-low' : ''}`} data-testid="stock">
          {soldOut ? 'Sold out' : <><strong key={available} className="stock-number">{available}</strong> of {total} left</>}
        </p>
        <div className="bar" role="progressbar" aria-label={`${available} of ${total} left`} aria-valuemin={0} aria-valuemax={total} aria-valuenow={available}>
          <div className={`bar-fill${low ? ' bar-low' : ''}`} style={{ width: `${total ? (available / total) * 100 : 0}%` }} />
        </div>
        <p className={`card-note${urgent ? ' urgent' : ''}`} data-testid="note">
          {holding ? (
            <>
              <span className="my-hold">You hold {myHold.quantity} · {formatCountdown(myHoldRemaining ?? 0)}{urgent && ' — pay now'}</span>
              {' '}<button type="button" className="link card-pay" onClick={onPay} aria-label={`Pay for ${product.name}`}>Pay</button>
            </>
          ) : expired ? (
            <span className="my-hold-expired" data-testid="hold-expired">Expired · your hold of {myHold.quantity} ended, the stock went back</span>
          ) : queue?.note ? (
            <span className="queue-note" data-testid="queue-note">{queue.note}</span>
          ) : sale.phase === 'upcoming' && product.saleStartsAt ? (
            <span data-testid="sale">Sale opens at {formatTime(product.saleStartsAt)}</span>
          ) : '\u00a0'}
        </p>
        {product.maxPerShopper != null && (
          <p className="limit-line" data-testid="limit">Limit {product.maxPerShopper} per shopper{remainingForMe !== undefined && remainingForMe < product.maxPerShopper ? ` · ${remainingForMe} more for you` : ''}</p>
        )}
        {/* The visible label first, then the product: "Reserve · 2:00, Aurora Runner" is a name a list of buttons tells apart. */}
        <button type="button" className="primary reserve" aria-disabled={queueAction ? !canQueue : !canReserve} aria-busy={busy}
          aria-label={`${label}, ${product.name}`} onClick={press}>
          {label}
        </button>
      </div>
    </article>
  );
}

export function ProductSkeleton() {
  return (
    <div className="card card-skeleton" aria-hidden="true">
      <div className="card-image" />
      <div className="card-body"><div className="line" /><div className="line short" /><div className="line" /></div>
    </div>
  );
}
