import { useEffect, useRef, type ReactNode } from "react";

interface ConfirmDialogProps {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  onCancel: () => void;
  onConfirm: () => void;
}

/** A modal question with Cancel (focused first) and a dangerous confirm button. */
export function ConfirmDialog({ title, body, confirmLabel, onCancel, onConfirm }: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog ref={ref} className="dialog" onCancel={onCancel} data-testid="confirm-dialog" aria-labelledby="confirm-title">
      <h2 id="confirm-title" className="dialog__title">{title}</h2>
      <div className="muted dialog__body">{body}</div>
      <div className="dialog__actions">
        <button type="button" className="button button--secondary" onClick={onCancel} autoFocus>Cancel</button>
        <button type="button" className="button button--danger" onClick={onConfirm} data-testid="confirm-ok">{confirmLabel}</button>
      </div>
    </dialog>
  );
}
