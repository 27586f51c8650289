import { useCallback, useRef, useState } from 'react';

export interface Toast {
  id: number;
  kind: 'success' | 'error' | 'info';
  text: string;
  /** A toast with a key replaces the one shown with that key (e.g. "offline": one toast, however many causes). */
  key?: string;
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
  const [side, setSide] = useState<ToastSide>('bottom');
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());
  const dismissId = useCallback((id: number) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    setToasts((all) => all.filter((t) => t.id !== id));
  }, []);
  const toast = useCallback((kind: Toast['kind'], text: string, key?: string) => {
    const id = Date.now() + Math.random();
    setSide(sideAwayFrom(document.activeElement));
    setToasts((all) => {
      const { shown, replaced } = withToast(all, { id, kind, text, key });
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
  return { toasts, side, toast, dismiss };
}

export type ToastSide = 'top' | 'bottom';

/**
 * Toasts go to the half of the screen away from the control just used (which keeps focus), so the answer to a tap
 * never covers what was tapped — nor what is next to it, like the stepper.
 */
export function sideAwayFrom(control: Element | null): ToastSide {
  if (!control || control === document.body) return 'bottom';
  const box = control.getBoundingClientRect();
  return box.top + box.height / 2 > window.innerHeight / 2 ? 'top' : 'bottom';
}

/**
 * Announced to screen readers: politely for news, assertively for errors. Success, news and errors each look their
 * own way (colour, icon). Above or below, away from the control just used; on phones, while the holds sheet is open,
 * under the header, never over the sheet's Pay and Release.
 */
export function Toasts({ toasts, side, onDismiss }: { toasts: Toast[]; side: ToastSide; onDismiss: (id: number) => void }) {
  const render = (t: Toast) => (
    <div key={t.id} className={`toast toast-${t.kind}`} data-testid="toast" onClick={() => onDismiss(t.id)}>
      <span className="toast-icon" aria-hidden="true">{ICON[t.kind]}</span>
      <span>{t.text}</span>
    </div>
  );
  return (
    <div className={`toast-area toast-area-${side}`}>
      <div className="toasts" aria-live="polite" role="status">
        {toasts.filter((t) => t.kind !== 'error').map(render)}
      </div>
      <div className="toasts" aria-live="assertive" role="alert">
        {toasts.filter((t) => t.kind === 'error').map(render)}
      </div>
    </div>
  );
}
