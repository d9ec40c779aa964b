import { useState } from 'react';
import type { Role } from '../session.js';
import { RoleButton } from './RoleButton.js';

/**
 * A role-gated action that asks first: the button opens an inline confirmation (with an optional
 * reason) instead of acting, so a stray click never stops an experiment or moves an alias.
 */
export function ConfirmButton({ role, label, question, onConfirm, withReason, className }: {
  role: Role;
  label: string;
  question: string;
  withReason?: boolean;
  className?: string;
  onConfirm(reason: string): Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  if (!open) return <RoleButton role={role} type="button" className={className} onClick={() => setOpen(true)}>{label}</RoleButton>;
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm(reason.trim());
      setOpen(false);
      setReason('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="confirm" role="group" aria-label={`Confirm: ${label}`}>
      <span>{question}</span>
      {withReason && (
        <label>
          <span className="visually-hidden">Reason for “{label}”</span>
          <input value={reason} maxLength={500} placeholder="reason (optional)" onChange={(e) => setReason(e.target.value)} />
        </label>
      )}
      <button type="button" className="small" disabled={busy} onClick={() => void confirm()}>Yes, {label.toLowerCase()}</button>
      <button type="button" className="secondary small" disabled={busy} onClick={() => setOpen(false)}>No</button>
    </span>
  );
}
