import { useState } from 'react';
import type { Hold, Product } from '../api/client';
import { URGENT_MS, formatCountdown } from '../clock';
import { formatPrice, formatTime } from '../format';
import { formatLongCountdown, type SalePhase } from '../sale';
import type { Stock } from '../state';

interface Props {
  product: Product;
  stock?: Stock;
  myHold?: Hold;
  myHoldRemaining?: number;
  holdLengthMs: number;
  maxPerRequest: number;
  sale: SalePhase;
  /** Units this shopper may still reserve (limit per shopper), or undefined without a limit. */
  remainingForMe?: number;
  /** A reserve of this product is on its way. */
  busy: boolean;
  /** The shopper is known (token ready). */
  ready: boolean;
  offline: boolean;
  onReserve: (quantity: number) => void;
}


/**
 * One product. Its controls never lose focus (they are aria-disabled, not disabled, so a keyboard user stays put when
 * the label changes), and every line that comes and goes has its slot reserved, so nothing moves under the pointer
 * when the sale opens or a hold appears.
 */
export function ProductCard({ product, stock, myHold, myHoldRemaining, holdLengthMs, maxPerRequest, sale, remainingForMe, busy, ready, offline, onReserve }: Props) {
  const [quantity, setQuantity] = useState(1);
  const available = stock?.availableStock ?? product.availableStock ?? 0;
  const total = stock?.totalStock ?? product.totalStock ?? 0;
  const soldOut = available === 0;
  const atLimit = remainingForMe === 0;
  const closed = soldOut || sale.phase !== 'open' || atLimit || offline;
  const low = !soldOut && available <= Math.max(1, total * 0.1);
  const max = Math.max(1, Math.min(maxPerRequest, available, remainingForMe ?? Number.MAX_SAFE_INTEGER));
  const shownQuantity = Math.min(quantity, max);
  const holdLength = formatCountdown(holdLengthMs);
  const label = offline ? 'Offline'
    : soldOut ? 'Sold out'
      : sale.phase === 'upcoming' ? `Opens in ${formatLongCountdown(sale.opensInMs)}`
        : sale.phase === 'ended' ? 'Sale ended'
          : atLimit ? 'Limit reached'
            : busy ? 'Reserving…'
              : myHold ? `Add ${shownQuantity} · timer resets to ${holdLength}`
                : `Reserve · ${holdLength}`;
  const canReserve = !closed && ready && !busy;
  const urgent = myHoldRemaining !== undefined && myHoldRemaining <= URGENT_MS;
  const headingId = `product-${product.id}`;

  return (
    <article className={`card${soldOut ? ' card-sold-out' : ''}`} aria-labelledby={headingId} data-product-id={product.id}>
      <div className="card-image" aria-hidden={!product.imageUrl}>
        {product.imageUrl ? <img src={product.imageUrl} alt={product.name} loading="lazy" /> : <span>{product.name?.charAt(0)}</span>}
      </div>
      <div className="card-body">
        <h2 id={headingId}>{product.name}</h2>
        <div className="price-row">
          <p className="price">{formatPrice(product.priceCents ?? 0, product.currency)}</p>
          <div className="stepper" role="group" aria-label={`Quantity of ${product.name}`}>
            <button type="button" aria-label="One fewer" aria-disabled={closed || shownQuantity <= 1}
              onClick={() => !closed && setQuantity(Math.max(1, shownQuantity - 1))}>−</button>
            <output aria-live="polite">{shownQuantity}</output>
            <button type="button" aria-label="One more" aria-disabled={closed || shownQuantity >= max}
              onClick={() => !closed && setQuantity(Math.min(max, shownQuantity + 1))}>+</button>
          </div>
        </div>
        <p className={`stock-line${low ? ' stock-low' : ''}`} data-testid="stock">
          {soldOut ? 'Sold out' : <><strong key={available} className="stock-number">{available}</strong> of {total} left</>}
        </p>
        <div className="bar" role="progressbar" aria-label={`${available} of ${total} left`} aria-valuemin={0} aria-valuemax={total} aria-valuenow={available}>
          <div className={`bar-fill${low ? ' bar-low' : ''}`} style={{ width: `${total ? (available / total) * 100 : 0}%` }} />
        </div>
        <p className={`card-note${urgent ? ' urgent' : ''}`} data-testid="note">
          {myHold && myHoldRemaining !== undefined ? (
            <span className="my-hold">You hold {myHold.quantity} · {formatCountdown(myHoldRemaining)}{urgent && ' — pay now'}</span>
          ) : sale.phase === 'upcoming' && product.saleStartsAt ? (
            <span data-testid="sale">Sale opens at {formatTime(product.saleStartsAt)}</span>
          ) : '\u00a0'}
        </p>
        {product.maxPerShopper != null && (
          <p className="limit-line" data-testid="limit">Limit {product.maxPerShopper} per shopper{remainingForMe !== undefined && remainingForMe < product.maxPerShopper ? ` · ${remainingForMe} more for you` : ''}</p>
        )}
        <button type="button" className="primary reserve" aria-disabled={!canReserve} aria-busy={busy}
          onClick={() => canReserve && onReserve(shownQuantity)}>
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
