import type { Hold, Product } from '../api/client';
import { formatCountdown } from '../clock';
import { formatPrice, formatTime } from '../format';

interface Props {
  open: boolean;
  holds: Hold[];
  products: Record<string, Product>;
  remaining: (hold: Hold) => number;
  onClose: () => void;
  onPay: (hold: Hold) => void;
  onRelease: (hold: Hold) => void;
}

const ENDED_LABEL: Record<string, string> = { COMPLETED: 'Paid', CANCELLED: 'Released', EXPIRED: 'Expired' };

/** The caller's holds: a side drawer on desktop, a bottom sheet on phones. */
export function HoldsPanel({ open, holds, products, remaining, onClose, onPay, onRelease }: Props) {
  const active = holds.filter((h) => h.status === 'ACTIVE');
  const history = holds.filter((h) => h.status !== 'ACTIVE');
  return (
    <aside className={`panel${open ? ' panel-open' : ''}`} aria-label="Your holds" aria-hidden={!open} inert={!open}>
      <header className="panel-header">
        <h2>Your holds</h2>
        <button type="button" className="ghost" onClick={onClose} aria-label="Close your holds">✕</button>
      </header>
      {active.length === 0 && <p className="empty">No active holds. Reserve something before it is gone.</p>}
      <ul className="holds" aria-label="Active holds">
        {active.map((hold) => {
          const product = products[hold.productId ?? ''];
          const left = remaining(hold);
          const total = Date.parse(hold.expiresAt ?? '') - Date.parse(hold.createdAt ?? '');
          const fraction = total > 0 ? Math.min(1, left / total) : 0;
          return (
            <li key={hold.id} className="hold" data-hold-id={hold.id}>
              <div className="hold-main">
                <strong>{product?.name ?? 'Product'}</strong>
                <span>× {hold.quantity} · {formatPrice(hold.amountCents ?? 0, product?.currency)}</span>
              </div>
              <div className="countdown" aria-label={left > 0 ? `${formatCountdown(left)} left` : 'Expired'}>
                <span className="countdown-text" data-testid="countdown">{left > 0 ? formatCountdown(left) : 'Expired'}</span>
                <div className="bar"><div className={`bar-fill${fraction < 0.2 ? ' bar-low' : ''}`} style={{ width: `${fraction * 100}%` }} /></div>
              </div>
              <div className="hold-actions">
                <button type="button" className="primary" disabled={left <= 0} onClick={() => onPay(hold)}>Pay</button>
                <button type="button" className="ghost" onClick={() => onRelease(hold)}>Release</button>
              </div>
            </li>
          );
        })}
      </ul>
      {history.length > 0 && (
        <>
          <h3>History</h3>
          <ul className="history" aria-label="Past holds">
            {history.map((hold) => (
              <li key={hold.id} data-hold-id={hold.id}>
                <span>{products[hold.productId ?? '']?.name ?? 'Product'} × {hold.quantity}</span>
                <span className={`badge badge-${hold.status?.toLowerCase()}`}>{ENDED_LABEL[hold.status ?? ''] ?? hold.status}</span>
                <time dateTime={hold.endedAt ?? undefined}>{formatTime(hold.endedAt)}</time>
              </li>
            ))}
          </ul>
        </>
      )}
    </aside>
  );
}
