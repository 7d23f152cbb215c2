import { useState } from 'react';
import type { WeightUnit, Workout, WorkoutReplace } from '../api/trainingTypes';
import { ErrorAlert } from '../components/ErrorAlert';
import { NumberInput } from '../components/NumberInput';
import {
  addedSet,
  replaceBodyOf,
  setsEditOf,
  type EditedExercise,
  type EditedSet,
} from '../lib/setsEdit';
import { setLabels, SET_TYPE_NAMES } from '../lib/workoutDraft';
import { useCheckedSave } from './useCheckedSave';

/**
 * Weight, reps and done of a logged workout's sets, sets added or removed; saved whole with
 * PUT. Duration, distance and RPE of each set are kept as they were.
 */
export function WorkoutSetsForm({
  workout,
  unit,
  onSave,
  onCancel,
}: {
  workout: Workout;
  unit: WeightUnit;
  onSave: (body: WorkoutReplace) => Promise<void>;
  onCancel: () => void;
}) {
  const [exercises, setExercises] = useState<EditedExercise[]>(() => setsEditOf(workout, unit));
  const { failure, busy, submit } = useCheckedSave(() => {
    const checked = replaceBodyOf(workout, exercises, unit);
    return 'problem' in checked ? checked : { value: checked.body };
  }, onSave);

  function changeSets(key: string, change: (sets: EditedSet[]) => EditedSet[]) {
    setExercises((current) =>
      current.map((exercise) =>
        exercise.key === key ? { ...exercise, sets: change(exercise.sets) } : exercise,
      ),
    );
  }

  function changeSet(exerciseKey: string, setKey: string, change: Partial<EditedSet>) {
    changeSets(exerciseKey, (sets) =>
      sets.map((set) => (set.key === setKey ? { ...set, ...change } : set)),
    );
  }

  return (
    <form className="workout-sets-edit card" onSubmit={submit} aria-labelledby="sets-edit-title">
      <h2 id="sets-edit-title">Edit sets</h2>
      {exercises.map((exercise) => {
        const labels = setLabels(exercise.sets);
        return (
          <fieldset key={exercise.key} className="sets-edit-exercise">
            <legend>{exercise.name}</legend>
            {exercise.sets.length === 0 ? (
              <p className="muted">No sets: this exercise is left out when saved.</p>
            ) : null}
            <ol className="plain-list sets-edit-list">
              {exercise.sets.map((set, index) => {
                const name = `${exercise.name}, set ${index + 1}`;
                return (
                  <li key={set.key} className="sets-edit-row" aria-label={name}>
                    <span className="set-type-label" title={SET_TYPE_NAMES[set.type]}>
                      {labels[index]}
                    </span>
                    <label>
                      <span className="visually-hidden">{name}: </span>Weight ({unit})
                      <NumberInput
                        kind="decimal"
                        value={set.weight}
                        onChange={(event) =>
                          changeSet(exercise.key, set.key, { weight: event.target.value })
                        }
                      />
                    </label>
                    <label>
                      <span className="visually-hidden">{name}: </span>Reps
                      <NumberInput
                        kind="numeric"
                        value={set.reps}
                        onChange={(event) =>
                          changeSet(exercise.key, set.key, { reps: event.target.value })
                        }
                      />
                    </label>
                    <label className="sets-edit-done">
                      <input
                        type="checkbox"
                        checked={set.completed}
                        onChange={(event) =>
                          changeSet(exercise.key, set.key, { completed: event.target.checked })
                        }
                      />
                      <span className="visually-hidden">{name}: </span>Done
                    </label>
                    <button
                      type="button"
                      className="danger-outline"
                      aria-label={`Remove ${name}`}
                      onClick={() =>
                        changeSets(exercise.key, (sets) => sets.filter((s) => s.key !== set.key))
                      }
                    >
                      Remove
                    </button>
                  </li>
                );
              })}
            </ol>
            <button
              type="button"
              aria-label={`Add set to ${exercise.name}`}
              onClick={() => changeSets(exercise.key, (sets) => [...sets, addedSet(sets)])}
            >
              Add set
            </button>
          </fieldset>
        );
      })}
      <ErrorAlert message={failure} />
      <div className="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save sets'}
        </button>
      </div>
    </form>
  );
}
