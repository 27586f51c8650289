import { useState, type FormEvent } from 'react';
import type { Hold, Product } from '../api/client';
import { formatCountdown } from '../clock';
import { formatPrice } from '../format';
import { Dialog } from './Dialog';

interface Props {
  hold: Hold | null;
  product?: Product;
  remaining: number;
  onPay: (hold: Hold) => Promise<void>;
  onClose: () => void;
}

/** The mock payment: any card number works; nothing leaves the page but "complete". */
export function PaymentDialog({ hold, product, remaining, onPay, onClose }: Props) {
  const [paying, setPaying] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!hold) return;
    setPaying(true);
    try {
      await onPay(hold);
    } finally {
      setPaying(false);
    }
  };
  return (
    <Dialog open={hold !== null} title="Pay for your hold" onClose={onClose}>
      {hold && (
        <form onSubmit={submit} className="pay-form">
          <p>{product?.name} × {hold.quantity} — <strong>{formatPrice(hold.amountCents ?? 0, product?.currency)}</strong></p>
          <p className="muted">Held for another {formatCountdown(remaining)}. This is a demo: no card is charged.</p>
          <label>Name on card<input name="name" autoComplete="cc-name" defaultValue="Demo Shopper" required /></label>
          <label>Card number<input name="card" inputMode="numeric" autoComplete="cc-number" defaultValue="4242 4242 4242 4242" required /></label>
          <div className="dialog-actions">
            <button type="button" className="ghost" onClick={onClose}>Cancel</button>
            <button type="submit" className="primary" disabled={paying || remaining <= 0}>
              {paying ? 'Paying…' : `Pay ${formatPrice(hold.amountCents ?? 0, product?.currency)}`}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
