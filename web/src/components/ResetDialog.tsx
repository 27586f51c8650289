import { useState, type FormEvent } from 'react';
import { Dialog } from './Dialog';

/** Replaces the catalogue with the demo one: it needs the operator's admin key. */
export function ResetDialog({ open, onReset, onClose }: { open: boolean; onReset: (key: string) => Promise<void>; onClose: () => void }) {
  const [key, setKey] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await onReset(key);
    setKey('');
  };
  return (
    <Dialog open={open} title="Reset demo data" onClose={onClose}>
      <form onSubmit={submit} className="pay-form">
        <p className="muted">Every product and hold is replaced with the demo catalogue, for everyone.</p>
        <label>Admin key<input type="password" value={key} onChange={(e) => setKey(e.target.value)} autoComplete="off" required /></label>
        <div className="dialog-actions">
          <button type="button" className="ghost" onClick={onClose}>Cancel</button>
          <button type="submit" className="danger">Reset</button>
        </div>
      </form>
    </Dialog>
  );
}
