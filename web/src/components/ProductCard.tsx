import { useState } from 'react';
import type { Hold, Product } from '../api/client';
import { formatCountdown } from '../clock';
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
  busy: boolean;
  onReserve: (quantity: number) => void;
}

export function ProductCard({ product, stock, myHold, myHoldRemaining, holdLengthMs, maxPerRequest, sale, remainingForMe, busy, onReserve }: Props) {
  const [quantity, setQuantity] = useState(1);
  const available = stock?.availableStock ?? product.availableStock ?? 0;
  const total = stock?.totalStock ?? product.totalStock ?? 0;
  const soldOut = available === 0;
  const atLimit = remainingForMe === 0;
  const closed = soldOut || sale.phase !== 'open' || atLimit;
  const low = !soldOut && available <= Math.max(1, total * 0.1);
  const max = Math.max(1, Math.min(maxPerRequest, available, remainingForMe ?? Number.MAX_SAFE_INTEGER));
  const label = soldOut ? 'Sold out'
    : sale.phase === 'upcoming' ? `Opens in ${formatLongCountdown(sale.opensInMs)}`
      : sale.phase === 'ended' ? 'Sale ended'
        : atLimit ? 'Limit reached'
          : `Reserve · ${formatCountdown(holdLengthMs)}`;
  const headingId = `product-${product.id}`;

  return (
    <article className={`card${soldOut ? ' card-sold-out' : ''}`} aria-labelledby={headingId} data-product-id={product.id}>
      <div className="card-image" aria-hidden={!product.imageUrl}>
        {product.imageUrl ? <img src={product.imageUrl} alt={product.name} loading="lazy" /> : <span>{product.name?.charAt(0)}</span>}
      </div>
      <div className="card-body">
        <h2 id={headingId}>{product.name}</h2>
        <p className="price">{formatPrice(product.priceCents ?? 0, product.currency)}</p>
        <p className={`stock-line${low ? ' stock-low' : ''}`} data-testid="stock">
          {soldOut ? 'Sold out' : <><strong key={available} className="stock-number">{available}</strong> of {total} left</>}
        </p>
        <div className="bar" role="progressbar" aria-label={`${available} of ${total} left`} aria-valuemin={0} aria-valuemax={total} aria-valuenow={available}>
          <div className={`bar-fill${low ? ' bar-low' : ''}`} style={{ width: `${total ? (available / total) * 100 : 0}%` }} />
        </div>
        {sale.phase === 'upcoming' && product.saleStartsAt && (
          <p className="sale-line" data-testid="sale">Sale opens at {formatTime(product.saleStartsAt)}</p>
        )}
        {product.maxPerShopper != null && (
          <p className="limit-line" data-testid="limit">Limit {product.maxPerShopper} per shopper{remainingForMe !== undefined && remainingForMe < product.maxPerShopper ? ` · ${remainingForMe} more for you` : ''}</p>
        )}
        {myHold && myHoldRemaining !== undefined && (
          <p className="my-hold">You hold {myHold.quantity} · {formatCountdown(myHoldRemaining)}</p>
        )}
        <div className="actions">
          <div className="stepper" role="group" aria-label={`Quantity of ${product.name}`}>
            <button type="button" aria-label="One fewer" disabled={closed || quantity <= 1} onClick={() => setQuantity((q) => Math.max(1, q - 1))}>−</button>
            <output aria-live="polite">{Math.min(quantity, max)}</output>
            <button type="button" aria-label="One more" disabled={closed || quantity >= max} onClick={() => setQuantity((q) => Math.min(max, q + 1))}>+</button>
          </div>
          <button type="button" className="primary" disabled={closed || busy} onClick={() => onReserve(Math.min(quantity, max))}>
            {label}
          </button>
        </div>
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
