import { useCallback, useRef, useState, type CSSProperties } from 'react';

export interface Toast {
  id: number;
  kind: 'success' | 'error' | 'info';
  text: string;
  /** A toast with a key replaces the one shown with that key (e.g. "offline": one toast, however many causes). */
  key?: string;
  /** What the news lets the shopper do next ("Reserved …" offers "Pay"). */
  action?: ToastAction;
}

export interface ToastAction {
  label: string;
  run: () => void;
}

const SHOWN_MS = { success: 4000, info: 4000, error: 7000 } as const;
const ICON = { success: '✓', info: 'i', error: '!' } as const;

/** The toasts after adding one: at most four; one with the same text or key as a shown one replaces it. */
export function withToast(all: Toast[], toast: Toast): { shown: Toast[]; replaced: Toast[] } {
  const replaced = all.filter((t) => t.text === toast.text || (toast.key !== undefined && t.key === toast.key));
  return { shown: [...all.filter((t) => !replaced.includes(t)).slice(-3), toast], replaced };
}

/** Toasts that never stack identically (see withToast); unkeyed ones leave by themselves. */
export function useToasts() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());
  const dismissId = useCallback((id: number) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    setToasts((all) => all.filter((t) => t.id !== id));
  }, []);
  const toast = useCallback((kind: Toast['kind'], text: string, key?: string, action?: ToastAction) => {
    const id = Date.now() + Math.random();
    setToasts((all) => {
      const { shown, replaced } = withToast(all, { id, kind, text, key, action });
      replaced.forEach((t) => clearTimeout(timers.current.get(t.id)));
      return shown;
    });
    // A keyed toast stays until its cause is gone (see dismiss); others leave by themselves.
    if (key === undefined) timers.current.set(id, setTimeout(() => dismissId(id), SHOWN_MS[kind]));
  }, [dismissId]);
  const dismiss = useCallback((idOrKey: number | string) => {
    if (typeof idOrKey === 'number') dismissId(idOrKey);
    else setToasts((all) => all.filter((t) => t.key !== idOrKey));
  }, [dismissId]);
  return { toasts, toast, dismiss };
}

/**
 * The message bar: a strip the page keeps at the bottom of the screen, outside the part that scrolls, so a toast
 * never covers a control and nothing moves when one appears. Announced to screen readers: politely for news,
 * assertively for errors. Success, news and errors each look their own way (colour, icon). The newest sits in the
 * right corner, older ones to its left as the width allows (one on phones, up to four on desktop); the rest wait,
 * unseen but still in their live region, and show when a newer one leaves.
 */
export function Toasts({ toasts, onDismiss }: { toasts: Toast[]; onDismiss: (id: number) => void }) {
  const rank = new Map(toasts.map((t, i) => [t.id, toasts.length - 1 - i])); // 0: the newest
  const render = (t: Toast) => (
    <div key={t.id} className={`toast toast-${t.kind}`} data-testid="toast" data-rank={rank.get(t.id)}
      style={{ '--rank': rank.get(t.id) } as CSSProperties} onClick={() => onDismiss(t.id)}>
      <span className="toast-icon" aria-hidden="true">{ICON[t.kind]}</span>
      <span className="toast-text">{t.text}</span>
      {t.action && (
        <button type="button" className="toast-action" onClick={(event) => {
          event.stopPropagation();
          onDismiss(t.id);
          t.action?.run();
        }}>{t.action.label}</button>
      )}
    </div>
  );
  return (
    <div className="toast-area" data-testid="message-bar">
      {toasts.length === 0 && <p className="toast-placeholder" aria-hidden="true">Updates on your holds show here</p>}
      <div className="toasts" aria-live="polite" role="status">
        {toasts.filter((t) => t.kind !== 'error').map(render)}
      </div>
      <div className="toasts" aria-live="assertive" role="alert">
        {toasts.filter((t) => t.kind === 'error').map(render)}
      </div>
    </div>
  );
}
