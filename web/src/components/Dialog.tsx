import { useEffect, useId, useRef, type ReactNode } from 'react';

interface Props {
  open: boolean;
  title: string;
  onClose: () => void;
  /** Where focus goes on close when the control that opened the dialog is gone (e.g. the row of a hold just paid). */
  returnFocus?: () => HTMLElement | null;
  children: ReactNode;
}

/** A modal <dialog>: the browser traps focus, closes it on Escape and gives focus back to the opener. */
export function Dialog({ open, title, onClose, returnFocus, children }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId(); // several dialogs may sit in one page
  const opener = useRef<Element | null>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement;
      dialog.showModal();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);
  const closed = () => {
    onClose();
    // The browser has already tried the opener; if it is gone, focus would be left on <body>.
    requestAnimationFrame(() => {
      if (opener.current?.isConnected && opener.current instanceof HTMLElement) opener.current.focus();
      else returnFocus?.()?.focus();
    });
  };
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} onClose={closed}>
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}
