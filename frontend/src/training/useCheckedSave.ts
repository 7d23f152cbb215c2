import { useState, type FormEvent } from 'react';
import { errorMessage } from '../api/errors';

/** A form's checked value, or the problem that keeps it from being sent. */
export type Checked<T> = { value: T } | { problem: string };

/**
 * Submitting an edit form: check what was typed, send it, and on a refusal keep the form as
 * typed and say why ("Not saved: ...").
 */
export function useCheckedSave<T>(check: () => Checked<T>, onSave: (value: T) => Promise<void>) {
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const checked = check();
    if ('problem' in checked) {
      setFailure(checked.problem);
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      await onSave(checked.value);
    } catch (error) {
      setFailure(`Not saved: ${errorMessage(error)}`);
      setBusy(false);
    }
  }

  return { failure, busy, submit };
}
