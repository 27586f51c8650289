export interface Toast {
  id: number;
  kind: 'success' | 'error' | 'info';
  text: string;
}

/** Announced to screen readers: politely for news, assertively for errors. */
export function Toasts({ toasts, onDismiss }: { toasts: Toast[]; onDismiss: (id: number) => void }) {
  return (
    <>
      <div className="toasts" aria-live="polite" role="status">
        {toasts.filter((t) => t.kind !== 'error').map((t) => (
          <div key={t.id} className={`toast toast-${t.kind}`} onClick={() => onDismiss(t.id)}>{t.text}</div>
        ))}
      </div>
      <div className="toasts toasts-errors" aria-live="assertive" role="alert">
        {toasts.filter((t) => t.kind === 'error').map((t) => (
          <div key={t.id} className="toast toast-error" onClick={() => onDismiss(t.id)}>{t.text}</div>
        ))}
      </div>
    </>
  );
}
