import { useState, type FormEvent } from 'react';
import { Dialog } from './Dialog';

/** Replaces the catalogue with the demo one, for everyone: the operator confirms (their admin key is already known). */
export function ResetDialog({ open, onReset, onClose }: { open: boolean; onReset: () => Promise<void>; onClose: () => void }) {
  const [resetting, setResetting] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setResetting(true);
    try {
      await onReset();
    } finally {
      setResetting(false);
    }
  };
  return (
    <Dialog open={open} title="Reset demo data" onClose={onClose}>
      <form onSubmit={submit} className="pay-form">
        <p className="muted">Every product and hold is replaced with the demo catalogue, for everyone.</p>
        <div className="dialog-actions">
          <button type="button" className="ghost" onClick={onClose}>Cancel</button>
          <button type="submit" className="danger" disabled={resetting}>{resetting ? 'Resetting…' : 'Reset'}</button>
        </div>
      </form>
    </Dialog>
  );
}
