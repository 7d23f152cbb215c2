import { useState, type ChangeEvent, type FormEvent } from 'react';
import { flushSync } from 'react-dom';
import { ApiError, errorMessage } from '../api/errors';
import type { Exercise, ExerciseCreate } from '../api/types';
import {
  EMPTY_DRAFT,
  draftFromExercise,
  validateDraft,
  type DraftErrors,
  type ExerciseDraft,
} from '../lib/exerciseDraft';
import { Link } from '../router';
import { Dialog } from './Dialog';
import { ErrorAlert } from './ErrorAlert';
import { NumberInput } from './NumberInput';

interface Props {
  /** The exercise being edited, or null to create a new one. */
  exercise: Exercise | null;
  onSubmit: (values: ExerciseCreate) => Promise<void>;
  onClose: () => void;
  returnFocusTo?: () => HTMLElement | null;
  /** What a new exercise starts with (the last workout day chosen, for one). */
  newDraft?: ExerciseDraft;
}

const FIELDS: {
  key: keyof ExerciseDraft;
  label: string;
  hint?: string;
  inputMode?: 'numeric' | 'decimal';
}[] = [
  { key: 'name', label: 'Name' },
  { key: 'sets', label: 'Sets', inputMode: 'numeric' },
  { key: 'reps', label: 'Reps', inputMode: 'numeric' },
  {
    key: 'weight',
    label: 'Weight (kg)',
    hint: 'Leave empty for bodyweight or to clear it.',
    inputMode: 'decimal',
  },
  { key: 'workout_day', label: 'Workout day', hint: 'For example A, B or Mon.' },
];

const DRAFT_KEY = 'workout-tracker.exercise-draft';

/**
 * Unsaved form text survives leaving the page (for example to sign in again after a save
 * was refused): it is kept in session storage until saved or cancelled.
 */
function storedDraft(key: string): ExerciseDraft | null {
  try {
    const stored = JSON.parse(sessionStorage.getItem(DRAFT_KEY) ?? 'null') as {
      key: string;
      draft: ExerciseDraft;
    } | null;
    return stored?.key === key ? stored.draft : null;
  } catch {
    return null;
  }
}

/** Which form ("create" or "edit-<id>") left unsaved text behind, to open it again. */
export function pendingDraftKey(): string | null {
  try {
    const stored = JSON.parse(sessionStorage.getItem(DRAFT_KEY) ?? 'null') as {
      key: string;
    } | null;
    return stored?.key ?? null;
  } catch {
    return null;
  }
}

function storeDraft(key: string, draft: ExerciseDraft | null): void {
  try {
    if (draft) sessionStorage.setItem(DRAFT_KEY, JSON.stringify({ key, draft }));
    else sessionStorage.removeItem(DRAFT_KEY);
  } catch {
    // Without session storage the draft lives only as long as the dialog.
  }
}

export function ExerciseFormDialog({
  exercise,
  onSubmit,
  onClose,
  returnFocusTo,
  newDraft = EMPTY_DRAFT,
}: Props) {
  const draftKey = exercise ? `edit-${exercise.id}` : 'create';
  const [draft, setDraft] = useState<ExerciseDraft>(
    () => storedDraft(draftKey) ?? (exercise ? draftFromExercise(exercise) : newDraft),
  );
  const [errors, setErrors] = useState<DraftErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  // The session ended: the draft is kept for after signing in again.
  const [signInNeeded, setSignInNeeded] = useState(false);
  const [saving, setSaving] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const { values, errors: found } = validateDraft(draft);
    // Render the errors first, so the field that takes focus already carries its message.
    flushSync(() => setErrors(found));
    if (!values) {
      const first = FIELDS.find(({ key }) => found[key]);
      if (first) document.getElementById(`exercise-${first.key}`)?.focus();
      return;
    }
    setSaving(true);
    setFailure(null);
    setSignInNeeded(false);
    try {
      await onSubmit(values);
      storeDraft(draftKey, null);
    } catch (error) {
      // The dialog stays open with everything typed, so the user can fix it or retry.
      setFailure(errorMessage(error));
      setSignInNeeded(error instanceof ApiError && error.status === 401);
      setSaving(false);
    }
  }

  function update(next: ExerciseDraft) {
    setDraft(next);
    storeDraft(draftKey, next);
  }

  function cancel() {
    if (!signInNeeded) storeDraft(draftKey, null);
    onClose();
  }

  const invalid = FIELDS.filter(({ key }) => errors[key]).map(({ label }) => label);

  return (
    <Dialog
      title={exercise ? `Edit “${exercise.name}”` : 'New exercise'}
      onClose={cancel}
      {...(returnFocusTo ? { returnFocusTo } : {})}
    >
      <form onSubmit={submit} noValidate className="form">
        {FIELDS.map(({ key, label, hint, inputMode }) => {
          const id = `exercise-${key}`;
          const describedBy = [hint ? `${id}-hint` : '', errors[key] ? `${id}-error` : '']
            .filter(Boolean)
            .join(' ');
          const props = {
            id,
            name: key,
            value: draft[key],
            autoComplete: 'off',
            required: key !== 'weight',
            'aria-invalid': errors[key] ? true : undefined,
            'aria-describedby': describedBy || undefined,
            onChange: (event: ChangeEvent<HTMLInputElement>) =>
              update({ ...draft, [key]: event.target.value }),
          };
          return (
            <div className="field" key={key}>
              <label htmlFor={id}>{label}</label>
              {inputMode ? <NumberInput kind={inputMode} {...props} /> : <input {...props} />}
              {hint ? (
                <small id={`${id}-hint`} className="hint">
                  {hint}
                </small>
              ) : null}
              {errors[key] ? (
                <small id={`${id}-error`} className="field-error">
                  {errors[key]}
                </small>
              ) : null}
            </div>
          );
        })}
        <p role="status" className="field-error form-errors">
          {invalid.length > 0
            ? `Please correct ${invalid.length === 1 ? 'one field' : `${invalid.length} fields`}: ${invalid.join(', ')}.`
            : null}
        </p>
        <ErrorAlert message={failure} />
        {signInNeeded ? (
          <p className="hint-banner">
            <Link to="/sign-in" remember>
              Sign in again
            </Link>{' '}
            to save: what you typed here is kept and comes back afterwards.
          </p>
        ) : null}
        <div className="actions">
          <button type="button" onClick={cancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={saving}>
            {saving ? 'Saving…' : exercise ? 'Save changes' : 'Create exercise'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
