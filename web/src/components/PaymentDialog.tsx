import { useState, type FormEvent } from 'react';
import type { Hold, Product } from '../api/client';
import { formatCountdown } from '../clock';
import { formatPrice } from '../format';
import { timeIsUp } from '../state';
import { Dialog } from './Dialog';

/** The hold being paid for; once paid, the dialog shows what was bought. */
export interface Payment {
  hold: Hold;
  paid: boolean;
}

interface Props {
  payment: Payment | null;
  product?: Product;
  /** The shopper's display handle: how they appear in "Just bought". */
  handle: string | null;
  remaining: number;
  onPay: (hold: Hold) => Promise<void>;
  onClose: () => void;
  /** At zero the hold is over: the dialog offers a new hold of the same instead of a payment. */
  onReserveAgain: (hold: Hold) => void;
  canReserve: boolean;
  /** The payment's answer was lost: it is being tried again. */
  retrying?: boolean;
  returnFocus: () => HTMLElement | null;
}

/** The mock payment: any card number works; nothing leaves the page but "complete". */
export function PaymentDialog({ payment, product, handle, remaining, onPay, onClose, onReserveAgain, canReserve, retrying = false, returnFocus }: Props) {
  const [paying, setPaying] = useState(false);
  const hold = payment?.hold;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!hold || timeIsUp(hold, remaining)) return;
    setPaying(true);
    try {
      await onPay(hold);
    } finally {
      setPaying(false);
    }
  };
  const amount = formatPrice(hold?.amountCents ?? 0, product?.currency);
  const expired = hold !== undefined && !payment?.paid && timeIsUp(hold, remaining);
  return (
    <Dialog open={payment !== null} title={payment?.paid ? 'Thank you — it is yours' : expired ? 'Your hold expired' : 'Pay for your hold'} onClose={onClose} returnFocus={returnFocus}>
      {hold && payment?.paid && (
        <div className="pay-form" data-testid="confirmation">
          <p>You bought <strong>{hold.quantity} × {product?.name}</strong> for <strong>{amount}</strong>.</p>
          {handle && <p className="muted">You appear in “Just bought” as <strong>{handle}</strong>.</p>}
          <div className="dialog-actions">
            {/* autoFocus: focus moves here from the Pay button, which has just gone */}
            <button type="button" className="primary" autoFocus onClick={onClose}>Done</button>
          </div>
        </div>
      )}
      {hold && !payment?.paid && (
        <form onSubmit={submit} className="pay-form">
          <p>{product?.name} × {hold.quantity} — <strong>{amount}</strong></p>
          {expired ? (
            <p className="pay-expired" data-testid="pay-expired" role="status">Expired: the time to pay ran out and the stock went back. Nothing was charged.</p>
          ) : (
            <p className="muted">Held for another {formatCountdown(remaining)}. This is a demo: no card is charged.</p>
          )}
          <label>Name on card<input name="name" autoComplete="cc-name" defaultValue="Demo Shopper" required /></label>
          <label>Card number<input name="card" inputMode="numeric" autoComplete="cc-number" defaultValue="4242 4242 4242 4242" required /></label>
          <div className="dialog-actions">
            <button type="button" className="ghost" onClick={onClose}>Cancel</button>
            {expired ? (
              <button type="button" className="primary" aria-disabled={!canReserve} onClick={() => canReserve && onReserveAgain(hold)}>Reserve again</button>
            ) : (
              <button type="submit" className="primary" disabled={paying}>
                {paying ? (retrying ? 'Trying again…' : 'Paying…') : `Pay ${amount}`}
              </button>
            )}
          </div>
        </form>
      )}
    </Dialog>
  );
}
