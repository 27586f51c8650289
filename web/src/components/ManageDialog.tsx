import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, type Product } from '../api/client';
import type { DropState } from '../console';
import { Dialog } from './Dialog';

/** What the operator can do to a running drop; each is confirmed before it is sent. */
export type RunAction =
  | { kind: 'restock'; quantity: number }
  | { kind: 'limit'; maxPerShopper: number | null }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'end' };

type Step = 'choose' | RunAction['kind'];

interface Props {
  product: Product | null;
  state: DropState | null;
  paused: boolean;
  open: boolean;
  onClose: () => void;
  onEdit: () => void;
  /** Sends the confirmed action; an ApiError's detail is shown in the dialog. */
  onRun: (action: RunAction) => Promise<void>;
}

const CONFIRM: Record<Exclude<Step, 'choose'>, { title: string; button: string; text: (name: string) => string }> = {
  restock: { title: 'Restock', button: 'Add stock', text: (n) => `Adds units to ${n}: its total and available stock grow by the quantity, at once, for every shopper.` },
  limit: { title: 'Change the limit', button: 'Change limit', text: (n) => `The most units one shopper may hold and buy of ${n}. A lower limit takes nothing back; it only refuses more.` },
  pause: { title: 'Pause admissions', button: 'Pause admissions', text: (n) => `Nobody new is admitted from the waiting room of ${n} until you resume. Shoppers already admitted keep their time; others keep their places.` },
  resume: { title: 'Resume admissions', button: 'Resume admissions', text: (n) => `The waiting room of ${n} admits again, in order, as stock allows.` },
  end: { title: 'End the sale now', button: 'End sale', text: (n) => `Reserves of ${n} are refused from now on. Holds already made can still be paid, released, or expire. This cannot be undone.` },
};

/** Runs a drop: restock, change its limit, pause or resume its waiting room, end its sale; or opens its edit form. */
export function ManageDialog({ product, state, paused, open, onClose, onEdit, onRun }: Props) {
  const [step, setStep] = useState<Step>('choose');
  const [amount, setAmount] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  useEffect(() => {
    if (open) {
      setStep('choose');
      setError(null);
    }
  }, [open, product?.id]);

  const choose = (next: Exclude<Step, 'choose'>) => {
    setStep(next);
    setError(null);
    setAmount(next === 'limit' ? (product?.maxPerShopper == null ? '' : String(product.maxPerShopper)) : next === 'restock' ? '10' : '');
  };

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    if (step === 'choose') return;
    const action: RunAction = step === 'restock' ? { kind: 'restock', quantity: Number(amount) }
      : step === 'limit' ? { kind: 'limit', maxPerShopper: amount.trim() === '' ? null : Number(amount) }
        : { kind: step };
    setSending(true);
    try {
      await onRun(action);
      setStep('choose');
    } catch (failure) {
      if (!(failure instanceof ApiError)) throw failure;
      setError(failure.message);
    } finally {
      setSending(false);
    }
  };

  const name = product?.name ?? '';
  const ended = state === 'ended';
  return (
    <Dialog open={open} title={step === 'choose' ? `Run ${name}` : CONFIRM[step].title} onClose={onClose}>
      {step === 'choose' ? (
        <div className="manage">
          <p className="muted">{state ? `Now: ${state}` : ''}{product?.queue ? ` · admissions ${paused ? 'paused' : 'running'}` : ''}</p>
          <div className="manage-actions">
            <button type="button" className="ghost" onClick={onEdit}>Edit details</button>
            <button type="button" className="ghost" onClick={() => choose('restock')}>Restock…</button>
            <button type="button" className="ghost" onClick={() => choose('limit')}>Change limit…</button>
            {product?.queue && !ended && (paused
              ? <button type="button" className="ghost" onClick={() => choose('resume')}>Resume admissions…</button>
              : <button type="button" className="ghost" onClick={() => choose('pause')}>Pause admissions…</button>)}
            {!ended && <button type="button" className="ghost danger-text" onClick={() => choose('end')}>End sale…</button>}
          </div>
          <div className="dialog-actions">
            <button type="button" className="ghost" onClick={onClose}>Close</button>
          </div>
        </div>
      ) : (
        <form className="pay-form" onSubmit={confirm}>
          <p>{CONFIRM[step].text(name)}</p>
          {step === 'restock' && (
            <label>Units to add<input type="number" min={1} max={1_000_000} required value={amount} onChange={(e) => setAmount(e.target.value)} /></label>
          )}
          {step === 'limit' && (
            <label>Limit per shopper (empty: no limit)<input type="number" min={1} value={amount} onChange={(e) => setAmount(e.target.value)} /></label>
          )}
          {error && <p role="alert" className="error">{error}</p>}
          <div className="dialog-actions">
            <button type="button" className="ghost" onClick={() => setStep('choose')}>Back</button>
            <button type="submit" className={step === 'resume' || step === 'restock' ? 'primary' : 'danger'} disabled={sending}>
              {sending ? 'Sending…' : CONFIRM[step].button}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
