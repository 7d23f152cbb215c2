import { useEffect, useId, useLayoutEffect, useRef, type ReactNode } from 'react';

interface DialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Where keyboard focus goes when the dialog closes (defaults to what had it before). */
  returnFocusTo?: () => HTMLElement | null;
}

/**
 * A modal built on the native <dialog>: the browser traps focus and closes it on Escape;
 * we restore focus to a sensible element afterwards.
 */
export function Dialog({ title, onClose, children, returnFocusTo }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  const returnRef = useRef(returnFocusTo);
  useLayoutEffect(() => {
    onCloseRef.current = onClose;
    returnRef.current = returnFocusTo;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return undefined;
    const previouslyFocused = document.activeElement as HTMLElement | null;
    if (!dialog.open) dialog.showModal?.();
    const onCancel = (event: Event) => {
      event.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close?.();
      const target = returnRef.current?.() ?? previouslyFocused;
      if (target?.isConnected) target.focus();
    };
  }, []);

  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} aria-modal="true">
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}
