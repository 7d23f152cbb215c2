import { useId, useState } from 'react';
import type { Workout, WorkoutPatch } from '../api/trainingTypes';
import { ErrorAlert } from '../components/ErrorAlert';
import { editOf, patchOf, type WorkoutEdit } from '../lib/workoutEdit';
import { useCheckedSave } from './useCheckedSave';

/**
 * Title, notes, start and end of a logged workout (PATCH). On a refused save the form stays
 * open with everything typed and says why.
 */
export function WorkoutEditForm({
  workout,
  onSave,
  onCancel,
}: {
  workout: Workout;
  onSave: (patch: WorkoutPatch) => Promise<void>;
  onCancel: () => void;
}) {
  const [edit, setEdit] = useState<WorkoutEdit>(() => editOf(workout));
  const { failure, busy, submit } = useCheckedSave(() => {
    const checked = patchOf(edit);
    return 'problem' in checked ? checked : { value: checked.patch };
  }, onSave);
  const id = useId();

  function change(field: keyof WorkoutEdit, value: string) {
    setEdit((current) => ({ ...current, [field]: value }));
  }

  return (
    <form className="workout-edit card" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Edit workout</h2>
      <label htmlFor={`${id}-name`}>Title</label>
      <input
        id={`${id}-name`}
        value={edit.title}
        maxLength={100}
        required
        onChange={(event) => change('title', event.target.value)}
      />
      <label htmlFor={`${id}-notes`}>Notes</label>
      <textarea
        id={`${id}-notes`}
        value={edit.notes}
        rows={3}
        maxLength={5000}
        onChange={(event) => change('notes', event.target.value)}
      />
      <div className="workout-edit-times">
        <div>
          <label htmlFor={`${id}-start`}>Started</label>
          <input
            id={`${id}-start`}
            type="datetime-local"
            value={edit.startedAt}
            required
            onChange={(event) => change('startedAt', event.target.value)}
          />
        </div>
        <div>
          <label htmlFor={`${id}-end`}>Ended</label>
          <input
            id={`${id}-end`}
            type="datetime-local"
            value={edit.endedAt}
            onChange={(event) => change('endedAt', event.target.value)}
          />
        </div>
      </div>
      <p className="muted workout-edit-hint">The sets stay as logged.</p>
      <ErrorAlert message={failure} />
      <div className="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save changes'}
        </button>
      </div>
    </form>
  );
}
