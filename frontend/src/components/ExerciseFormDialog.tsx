import { useState, type FormEvent } from 'react';
import { errorMessage } from '../api/errors';
import type { Exercise, ExerciseCreate } from '../api/types';
import {
  EMPTY_DRAFT,
  draftFromExercise,
  validateDraft,
  type DraftErrors,
  type ExerciseDraft,
} from '../lib/exerciseDraft';
import { Dialog } from './Dialog';
import { ErrorAlert } from './ErrorAlert';

interface Props {
  /** The exercise being edited, or null to create a new one. */
  exercise: Exercise | null;
  onSubmit: (values: ExerciseCreate) => Promise<void>;
  onClose: () => void;
  returnFocusTo?: () => HTMLElement | null;
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

function storeDraft(key: string, draft: ExerciseDraft | null): void {
  try {
    if (draft) sessionStorage.setItem(DRAFT_KEY, JSON.stringify({ key, draft }));
    else sessionStorage.removeItem(DRAFT_KEY);
  } catch {
    // Without session storage the draft lives only as long as the dialog.
  }
}

export function ExerciseFormDialog({ exercise, onSubmit, onClose, returnFocusTo }: Props) {
  const draftKey = exercise ? `edit-${exercise.id}` : 'create';
  const [draft, setDraft] = useState<ExerciseDraft>(
    () => storedDraft(draftKey) ?? (exercise ? draftFromExercise(exercise) : EMPTY_DRAFT),
  );
  const [errors, setErrors] = useState<DraftErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const { values, errors: found } = validateDraft(draft);
    setErrors(found);
    if (!values) return;
    setSaving(true);
    setFailure(null);
    try {
      await onSubmit(values);
      storeDraft(draftKey, null);
    } catch (error) {
      // The dialog stays open with everything typed, so the user can fix it or retry.
      setFailure(errorMessage(error));
      setSaving(false);
    }
  }

  function update(next: ExerciseDraft) {
    setDraft(next);
    storeDraft(draftKey, next);
  }

  function cancel() {
    storeDraft(draftKey, null);
    onClose();
  }

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
          return (
            <div className="field" key={key}>
              <label htmlFor={id}>{label}</label>
              <input
                id={id}
                name={key}
                value={draft[key]}
                inputMode={inputMode}
                autoComplete="off"
                required={key !== 'weight'}
                aria-invalid={errors[key] ? true : undefined}
                aria-describedby={describedBy || undefined}
                onChange={(event) => update({ ...draft, [key]: event.target.value })}
              />
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
        <ErrorAlert message={failure} />
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
