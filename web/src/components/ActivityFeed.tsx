import type { Product } from '../api/client';
import type { Purchase } from '../state';

interface Props {
  purchases: Purchase[];
  products: Record<string, Product>;
  serverNow: number;
  /** This shopper's display handle: their own purchases say "You". */
  myHandle: string | null;
}

function ago(at: string, serverNow: number): string {
  const seconds = Math.max(0, Math.round((serverNow - Date.parse(at)) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes}m ago` : `${Math.floor(minutes / 60)}h ago`;
}

/** Who just bought what: display handles only, newest first, pushed live. A product not loaded yet waits. */
export function ActivityFeed({ purchases, products, serverNow, myHandle }: Props) {
  const shown = purchases.filter((p) => products[p.productId]);
  return (
    <section className="activity" aria-labelledby="activity-heading">
      <h2 id="activity-heading">Just bought</h2>
      {shown.length === 0 ? (
        <p className="muted">No purchases yet — be the first.</p>
      ) : (
        <ol aria-live="polite" data-testid="activity">
          {shown.map((p) => (
            <li key={`${p.productId}|${p.handle}|${p.at}`} className={p.handle === myHandle ? 'mine' : undefined}>
              <strong>{p.handle}</strong>{p.handle === myHandle && ' (you)'} bought {p.quantity} × {products[p.productId].name}
              <span className="muted"> · {ago(p.at, serverNow)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
