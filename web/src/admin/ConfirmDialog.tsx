/** "Are you sure?" before an irreversible or early action, on the shared modal dialog. */
import { useState } from 'react';
import { Dialog } from '../Dialog';

export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  text: string;
  confirmLabel: string;
  danger?: boolean;
  onCancel: () => void;
  onConfirm: () => Promise<unknown>;
}) {
  const [busy, setBusy] = useState(false);
  return (
    <Dialog open={props.open} title={props.title} onClose={props.onCancel}>
      <p>{props.text}</p>
      <div className="actions">
        <button type="button" onClick={props.onCancel}>
          Go back
        </button>
        <button
          type="button"
          className={props.danger ? 'danger' : 'primary'}
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void props.onConfirm().finally(() => setBusy(false));
          }}
        >
          {props.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
