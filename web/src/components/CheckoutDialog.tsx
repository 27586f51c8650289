import { useState, type FormEvent } from 'react';
import type { Hold, Order, Product } from '../api/client';
import { cartTotal, earliest, orderTotal } from '../checkout';
import { formatCountdown } from '../clock';
import { formatPrice } from '../format';
import { Dialog } from './Dialog';

/** The cart being paid (its holds), or an order's receipt. */
export type Checkout = { holds: Hold[] } | { order: Order };

interface Props {
  checkout: Checkout | null;
  products: Record<string, Product>;
  remaining: (hold: Hold) => number;
  onPay: (holds: Hold[]) => Promise<void>;
  onClose: () => void;
  /** The payment's answer was lost: it is being tried again. */
  retrying: boolean;
  returnFocus: () => HTMLElement | null;
}

/** One order's receipt: its number, when, each line and the total; printable (styles.css prints only the receipt). */
function Receipt({ order, onClose }: { order: Order; onClose: () => void }) {
  return (
    <div className="receipt" data-testid="receipt">
      <p>Order <strong data-testid="order-number">#{order.number}</strong> · {order.createdAt ? new Date(order.createdAt).toLocaleString() : ''}</p>
      <table className="receipt-lines">
        <thead><tr><th scope="col">Item</th><th scope="col">Qty</th><th scope="col">Each</th><th scope="col">Amount</th></tr></thead>
        <tbody>
          {(order.lines ?? []).map((line) => (
            <tr key={line.holdId}>
              <td>{line.productName}</td><td>{line.quantity}</td>
              <td>{formatPrice(line.unitPriceCents ?? 0, line.currency)}</td><td>{formatPrice(line.amountCents ?? 0, line.currency)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot><tr><th scope="row" colSpan={3}>Total</th><td data-testid="order-total">{orderTotal(order)}</td></tr></tfoot>
      </table>
      <p className="muted">A demo shop: no card was charged.</p>
      <div className="dialog-actions no-print">
        <button type="button" className="ghost" onClick={() => window.print()}>Print receipt</button>
        <button type="button" className="primary" autoFocus onClick={onClose}>Done</button>
      </div>
    </div>
  );
}

/** Pays the cart as one order (all or none), then shows its receipt; also opens an earlier order's receipt. */
export function CheckoutDialog({ checkout, products, remaining, onPay, onClose, retrying, returnFocus }: Props) {
  const [paying, setPaying] = useState(false);
  const holds = checkout && 'holds' in checkout ? checkout.holds : [];
  const first = earliest(holds);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPaying(true);
    try {
      await onPay(holds);
    } finally {
      setPaying(false);
    }
  };
  const total = cartTotal(holds, products);
  const title = checkout && 'order' in checkout ? 'Your receipt' : `Pay for ${holds.length} holds`;
  return (
    <Dialog open={checkout !== null} title={title} onClose={onClose} returnFocus={returnFocus}>
      {checkout && 'order' in checkout && <Receipt order={checkout.order} onClose={onClose} />}
      {checkout && 'holds' in checkout && (
        <form onSubmit={submit} className="pay-form">
          <ul className="cart-lines">
            {holds.map((hold) => (
              <li key={hold.id}>{products[hold.productId ?? '']?.name} × {hold.quantity} — {formatPrice(hold.amountCents ?? 0, products[hold.productId ?? '']?.currency)}</li>
            ))}
          </ul>
          {first && <p className="muted">All or nothing: the first hold ends in {formatCountdown(remaining(first))}. This is a demo: no card is charged.</p>}
          <label>Name on card<input name="name" autoComplete="cc-name" defaultValue="Demo Shopper" required /></label>
          <label>Card number<input name="card" inputMode="numeric" autoComplete="cc-number" defaultValue="4242 4242 4242 4242" required /></label>
          <div className="dialog-actions">
            <button type="button" className="ghost" onClick={onClose}>Cancel</button>
            <button type="submit" className="primary" disabled={paying}>{paying ? (retrying ? 'Trying again…' : 'Paying…') : `Pay ${total}`}</button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
