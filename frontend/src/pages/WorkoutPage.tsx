import { useEffect, useRef, useState } from 'react';
import { apiClient } from '../api/clients';
import { errorMessage } from '../api/errors';
import { getWorkout, lastTime, listWorkouts } from '../api/training';
import type { ExerciseTemplate, WorkoutSummary } from '../api/trainingTypes';
import { useAuth } from '../auth/AuthContext';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorAlert } from '../components/ErrorAlert';
import { NumberInput } from '../components/NumberInput';
import { enqueue } from '../lib/outbox';
import {
  extendRest,
  formatClock,
  loadRest,
  secondsLeft,
  startRest,
  stopRest,
  type RestTimer,
} from '../lib/restTimer';
import { loadSettings, rememberExercise } from '../lib/settings';
import {
  copyOfLast,
  describeSet,
  emptySet,
  loadDraft,
  newDraft,
  newKey,
  nextSetType,
  previousSet,
  repeatWorkout,
  saveDraft,
  setLabels,
  SET_TYPE_NAMES,
  usesBarbell,
  weightToLoad,
  workoutBody,
  type Draft,
  type DraftExercise,
  type DraftSet,
} from '../lib/workoutDraft';
import { fromKg } from '../lib/units';
import { Link } from '../router';
import { PlateCalculator } from '../training/PlateCalculator';
import { ExercisePicker } from '../training/ExercisePicker';
import { useNow } from '../training/useNow';
import { useOutbox } from '../training/useOutbox';
import { WorkoutSummaryView, type FinishedWorkout } from '../training/WorkoutSummaryView';

export default function WorkoutPage() {
  const { session } = useAuth();
  const [draft, setDraft] = useState<Draft | null>(() => loadDraft());
  const [finished, setFinished] = useState<FinishedWorkout | null>(null);

  // Some browsers refuse storage (private mode): then the lifter must keep the tab open.
  const [storageWorks] = useState(() => saveDraft(loadDraft()));

  // Every change is written through at once: a reload or a closed tab loses nothing.
  useEffect(() => {
    saveDraft(draft);
  }, [draft]);

  if (!session) {
    return (
      <section className="narrow">
        <h1 tabIndex={-1}>Workout</h1>
        <p>
          <Link to="/sign-in" remember>
            Sign in
          </Link>{' '}
          to log your workouts.
        </p>
      </section>
    );
  }
  if (finished) {
    return (
      <WorkoutSummaryView
        finished={finished}
        onDone={() => {
          setFinished(null);
        }}
      />
    );
  }
  if (!draft) return <StartWorkout onStart={setDraft} />;
  return (
    <>
      {!storageWorks ? (
        <ErrorAlert message="This browser refused to save the workout on the device: keep this tab open until you finish." />
      ) : null}
      <LogWorkout draft={draft} setDraft={setDraft} onFinished={setFinished} />
    </>
  );
}

function StartWorkout({ onStart }: { onStart: (draft: Draft) => void }) {
  const { store } = useAuth();
  const [past, setPast] = useState<WorkoutSummary[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    store
      .withToken((token) => listWorkouts(apiClient, token, 1, 5))
      .then((page) => {
        if (!cancelled) setPast(page.items);
      })
      .catch(() => {
        if (!cancelled) setPast([]);
      });
    return () => {
      cancelled = true;
    };
  }, [store]);

  async function repeat(id: number) {
    try {
      const workout = await store.withToken((token) => getWorkout(apiClient, token, id));
      onStart(repeatWorkout(workout, new Date(), loadSettings().unit));
    } catch (error) {
      setFailure(errorMessage(error));
    }
  }

  return (
    <section className="narrow workout-start">
      <h1 tabIndex={-1}>Workout</h1>
      <button
        type="button"
        className="primary big"
        onClick={() => onStart(newDraft(new Date(), loadSettings().unit))}
      >
        Start workout
      </button>
      <ErrorAlert message={failure} />
      {past && past.length === 0 ? (
        <p className="muted">
          Logged workouts in Strong or Hevy before? <Link to="/import">Import your history</Link> to
          see it here and in Progress.
        </p>
      ) : null}
      {past && past.length > 0 ? (
        <>
          <h2>Repeat a past workout</h2>
          <ul className="plain-list">
            {past.map((workout) => (
              <li key={workout.id} className="repeat-item">
                <span>
                  <strong>{workout.title}</strong>
                  <span className="muted">
                    {' '}
                    · {new Date(workout.started_at).toLocaleDateString()} ·{' '}
                    {workout.exercises.map((exercise) => exercise.name).join(', ')}
                  </span>
                </span>
                <button
                  type="button"
                  onClick={() => void repeat(workout.id)}
                  aria-label={`Repeat ${workout.title}`}
                >
                  Repeat
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function vibrate(): void {
  try {
    navigator.vibrate?.([200, 100, 200]);
  } catch {
    // Not allowed here (no user gesture, or no vibration motor): the timer still shows 0:00.
  }
}

function LogWorkout({
  draft,
  setDraft,
  onFinished,
}: {
  draft: Draft;
  setDraft: (update: (draft: Draft | null) => Draft | null) => void;
  onFinished: (finished: FinishedWorkout) => void;
}) {
  const { store } = useAuth();
  const { send } = useOutbox();
  const [picking, setPicking] = useState(false);
  const [discarding, setDiscarding] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [finishing, setFinishing] = useState(false);
  const [rest, setRest] = useState<RestTimer | null>(() => loadRest());
  const now = useNow(500);
  const addButton = useRef<HTMLButtonElement>(null);
  const restLeft = rest ? secondsLeft(rest, now) : 0;
  const vibrated = useRef<number | null>(null);

  useEffect(() => {
    if (rest && restLeft === 0 && vibrated.current !== rest.endsAt) {
      vibrated.current = rest.endsAt;
      vibrate();
    }
  }, [rest, restLeft]);

  function update(change: (draft: Draft) => Draft) {
    setDraft((current) => (current ? change(current) : current));
  }

  function updateExercise(key: string, change: (exercise: DraftExercise) => DraftExercise) {
    update((current) => ({
      ...current,
      exercises: current.exercises.map((exercise) =>
        exercise.key === key ? change(exercise) : exercise,
      ),
    }));
  }

  function updateSet(exerciseKey: string, setKey: string, change: Partial<DraftSet>) {
    updateExercise(exerciseKey, (exercise) => ({
      ...exercise,
      sets: exercise.sets.map((set) => (set.key === setKey ? { ...set, ...change } : set)),
    }));
  }

  function toggleDone(exerciseKey: string, set: DraftSet) {
    updateSet(exerciseKey, set.key, { done: !set.done });
    if (!set.done) setRest(startRest(loadSettings().restSeconds));
  }

  function adjustRest(seconds: number) {
    if (rest) setRest(extendRest(rest, seconds));
  }

  function skipRest() {
    stopRest();
    setRest(null);
  }

  function pick(template: ExerciseTemplate) {
    rememberExercise(template.id);
    setPicking(false);
    const key = newKey();
    update((current) => ({
      ...current,
      exercises: [
        ...current.exercises,
        {
          key,
          templateId: template.id,
          name: template.name,
          equipment: template.equipment,
          sets: [emptySet()],
          previous: null,
        },
      ],
    }));
    // "Previous" comes from the last workout with this exercise; without it the row shows "–".
    store
      .withToken((token) => lastTime(apiClient, token, template.id))
      .then((last) => {
        if (last) updateExercise(key, (exercise) => ({ ...exercise, previous: last.sets }));
      })
      .catch(() => undefined);
  }

  async function finish() {
    const ended = new Date();
    const body = workoutBody(draft, ended);
    if (body.exercises.length === 0) {
      setFailure('Log at least one set with reps before finishing, or discard the workout.');
      return;
    }
    setFinishing(true);
    // Queued before sending: offline, or if the tab closes now, the workout is still kept.
    if (!enqueue(body)) {
      setFailure('This browser refused to keep the workout: check your connection and try again.');
      setFinishing(false);
      return;
    }
    const names = new Map(draft.exercises.map((exercise) => [exercise.templateId, exercise.name]));
    const unit = draft.unit;
    stopRest();
    setDraft(() => null);
    saveDraft(null);
    let saved = null;
    try {
      const result = await send();
      saved = result.sent.find((workout) => workout.client_id === body.client_id) ?? null;
    } catch {
      // Still queued: the badge shows it and it goes when the connection returns.
    }
    onFinished({ body, saved, names, unit });
  }

  const elapsed = Math.max(0, (now - Date.parse(draft.startedAt)) / 1000);
  return (
    <section className="workout">
      <div className="workout-head">
        <h1 tabIndex={-1} className="visually-hidden">
          Workout in progress
        </h1>
        <label className="workout-title">
          <span className="visually-hidden">Workout title</span>
          <input
            value={draft.title}
            maxLength={100}
            onChange={(event) => update((current) => ({ ...current, title: event.target.value }))}
          />
        </label>
        <p className="muted" aria-label="Elapsed time">
          {formatClock(elapsed)}
        </p>
      </div>
      <ErrorAlert message={failure} />

      {draft.exercises.map((exercise) => (
        <ExerciseCard
          key={exercise.key}
          exercise={exercise}
          unit={draft.unit}
          onSet={(setKey, change) => updateSet(exercise.key, setKey, change)}
          onToggle={(set) => toggleDone(exercise.key, set)}
          onAddSet={() =>
            updateExercise(exercise.key, (current) => ({
              ...current,
              sets: [...current.sets, copyOfLast(current.sets)],
            }))
          }
          onRemoveSet={(setKey) =>
            updateExercise(exercise.key, (current) => ({
              ...current,
              sets: current.sets.filter((set) => set.key !== setKey),
            }))
          }
          onRemove={() =>
            update((current) => ({
              ...current,
              exercises: current.exercises.filter((other) => other.key !== exercise.key),
            }))
          }
        />
      ))}

      {picking ? (
        <ExercisePicker
          onPick={pick}
          onClose={() => {
            setPicking(false);
            window.setTimeout(() => addButton.current?.focus(), 0);
          }}
        />
      ) : (
        <button type="button" ref={addButton} className="big" onClick={() => setPicking(true)}>
          Add exercise
        </button>
      )}

      <div className="workout-actions">
        <button
          type="button"
          className="primary big"
          onClick={() => void finish()}
          disabled={finishing}
        >
          Finish workout
        </button>
        <button type="button" className="danger-outline" onClick={() => setDiscarding(true)}>
          Discard workout
        </button>
      </div>

      {rest ? (
        <div
          className={`rest-bar${restLeft === 0 ? ' rest-done' : ''}`}
          role="group"
          aria-label="Rest timer"
        >
          <span role="timer" aria-live="off" className="rest-clock">
            {restLeft === 0 ? 'Rest over' : `Rest ${formatClock(restLeft)}`}
          </span>
          <button type="button" onClick={() => adjustRest(-15)} aria-label="15 seconds less rest">
            −15
          </button>
          <button type="button" onClick={() => adjustRest(15)} aria-label="15 seconds more rest">
            +15
          </button>
          <button type="button" onClick={skipRest}>
            {restLeft === 0 ? 'Close' : 'Skip'}
          </button>
        </div>
      ) : null}

      {discarding ? (
        <ConfirmDialog
          title="Discard this workout?"
          message="Everything logged in this workout will be deleted from this device. This cannot be undone."
          confirmLabel="Discard"
          onClose={() => setDiscarding(false)}
          onConfirm={async () => {
            stopRest();
            setRest(null);
            setDraft(() => null);
          }}
        />
      ) : null}
    </section>
  );
}

function ExerciseCard({
  exercise,
  unit,
  onSet,
  onToggle,
  onAddSet,
  onRemoveSet,
  onRemove,
}: {
  exercise: DraftExercise;
  unit: Draft['unit'];
  onSet: (setKey: string, change: Partial<DraftSet>) => void;
  onToggle: (set: DraftSet) => void;
  onAddSet: () => void;
  onRemoveSet: (setKey: string) => void;
  onRemove: () => void;
}) {
  const labels = setLabels(exercise.sets);
  const barbell = usesBarbell(exercise);
  const [platesOpen, setPlatesOpen] = useState(false);
  const platesButton = useRef<HTMLButtonElement>(null);
  return (
    <section className="exercise-card" aria-label={exercise.name}>
      <div className="exercise-card-head">
        <h2>{exercise.name}</h2>
        <button
          type="button"
          className="link-button"
          onClick={onRemove}
          aria-label={`Remove ${exercise.name}`}
        >
          Remove
        </button>
      </div>
      <table className="set-table">
        <thead>
          <tr>
            <th scope="col">Set</th>
            <th scope="col">Previous</th>
            <th scope="col">{unit}</th>
            <th scope="col">Reps</th>
            <th scope="col">RPE</th>
            <th scope="col">
              <span className="visually-hidden">Done</span>✓
            </th>
          </tr>
        </thead>
        <tbody>
          {exercise.sets.map((set, index) => {
            const number = index + 1;
            const previous = previousSet(exercise.previous, exercise.sets, index);
            const label = labels[index];
            return (
              <tr
                key={set.key}
                aria-label={`Set ${number}`}
                className={set.done ? 'set-done' : undefined}
              >
                <td>
                  <button
                    type="button"
                    className={`set-type set-type-${set.type}`}
                    onClick={() => onSet(set.key, { type: nextSetType(set.type) })}
                    aria-label={`Set ${number}: ${SET_TYPE_NAMES[set.type]}, change type`}
                  >
                    {label}
                  </button>
                </td>
                <td className="previous">
                  {previous ? (
                    <button
                      type="button"
                      className="link-button"
                      aria-label={`Previous: ${describeSet(previous, unit)}, use it`}
                      onClick={() =>
                        onSet(set.key, {
                          weight:
                            previous.weight_kg === null
                              ? ''
                              : String(fromKg(previous.weight_kg, unit)),
                          reps: previous.reps === null ? '' : String(previous.reps),
                        })
                      }
                    >
                      {describeSet(previous, unit)}
                    </button>
                  ) : (
                    <span aria-label="No previous set">–</span>
                  )}
                </td>
                <td>
                  <NumberInput
                    aria-label="Weight"
                    kind="decimal"
                    value={set.weight}
                    onChange={(event) => onSet(set.key, { weight: event.target.value })}
                  />
                </td>
                <td>
                  <NumberInput
                    aria-label="Reps"
                    kind="numeric"
                    value={set.reps}
                    onChange={(event) => onSet(set.key, { reps: event.target.value })}
                  />
                </td>
                <td>
                  <NumberInput
                    aria-label="RPE"
                    kind="decimal"
                    value={set.rpe}
                    onChange={(event) => onSet(set.key, { rpe: event.target.value })}
                  />
                </td>
                <td>
                  <input
                    type="checkbox"
                    className="done-check"
                    aria-label="Done"
                    checked={set.done}
                    onChange={() => onToggle(set)}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="exercise-card-foot">
        <button type="button" onClick={onAddSet}>
          Add set
        </button>
        {barbell ? (
          <button
            type="button"
            className="plates-button"
            ref={platesButton}
            aria-expanded={platesOpen}
            onClick={() => setPlatesOpen((open) => !open)}
          >
            Plates
          </button>
        ) : null}
        {exercise.sets.length > 0 ? (
          <button
            type="button"
            className="link-button"
            onClick={() => onRemoveSet(exercise.sets[exercise.sets.length - 1]!.key)}
          >
            Remove last set
          </button>
        ) : null}
      </div>
      {barbell && platesOpen ? (
        <PlateCalculator
          initialWeight={weightToLoad(exercise.sets)}
          unit={unit}
          setup={loadSettings().barbell[unit]}
          onClose={() => {
            setPlatesOpen(false);
            platesButton.current?.focus();
          }}
        />
      ) : null}
    </section>
  );
}
