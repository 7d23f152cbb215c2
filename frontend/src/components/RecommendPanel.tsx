import { useState, type FormEvent } from 'react';
import { recommend } from '../api/coach';
import { coachClient } from '../api/clients';
import { errorMessage } from '../api/errors';
import { useAuth } from '../auth/AuthContext';
import {
  MUSCLE_GROUPS,
  type MuscleGroup,
  type PlanBasis,
  type WorkoutRecommendation,
} from '../api/types';
import { COACH_TIMEOUT_MS } from '../config';
import { asLifter } from '../lib/asLifter';
import { groupLabel } from '../lib/muscleGroups';
import { formatDay } from '../lib/trainingLog';
import { Busy } from './Busy';
import { ErrorAlert } from './ErrorAlert';

export const EQUIPMENT = [
  'barbell',
  'dumbbells',
  'cables',
  'bodyweight',
  'machines',
  'kettlebells',
  'bands',
];
const DEFAULT_EQUIPMENT = ['barbell', 'dumbbells', 'cables', 'bodyweight'];

export function RecommendPanel() {
  const { store, session } = useAuth();
  const [focus, setFocus] = useState<MuscleGroup | ''>('');
  const [equipment, setEquipment] = useState<string[]>(DEFAULT_EQUIPMENT);
  const [duration, setDuration] = useState('60');
  const [plan, setPlan] = useState<WorkoutRecommendation | null>(null);
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  function toggle(item: string, on: boolean) {
    setEquipment((current) =>
      on ? [...current, item] : current.filter((value) => value !== item),
    );
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const minutes = Number(duration);
    if (!Number.isInteger(minutes) || minutes < 15 || minutes > 180) {
      setFailure('Session length must be a whole number of minutes from 15 to 180.');
      return;
    }
    if (equipment.length === 0) {
      setFailure('Pick at least one kind of equipment (bodyweight counts).');
      return;
    }
    setPending(true);
    setFailure(null);
    try {
      const request = {
        focus_area: focus === '' ? null : focus,
        equipment_available: EQUIPMENT.filter((item) => equipment.includes(item)),
        session_duration_minutes: minutes,
      };
      setPlan(
        await asLifter(store, session !== null, (token) => recommend(coachClient, token, request)),
      );
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="card" aria-labelledby="recommend-heading">
      <h2 id="recommend-heading">Plan a workout</h2>
      <p className="hint">
        {session
          ? 'Built from the exercises and loads of your own log.'
          : 'A general plan. Sign in to get one built from your own workouts and loads.'}
      </p>
      <form onSubmit={submit} className="form" noValidate>
        <div className="field-row">
          <div className="field">
            <label htmlFor="focus-area">Focus area</label>
            <select
              id="focus-area"
              value={focus}
              onChange={(event) => setFocus(event.target.value as MuscleGroup | '')}
            >
              <option value="">Any (balanced)</option>
              {MUSCLE_GROUPS.map((group) => (
                <option key={group} value={group}>
                  {groupLabel(group)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="duration">Session length (minutes)</label>
            <input
              id="duration"
              type="number"
              min={15}
              max={180}
              step={5}
              value={duration}
              onChange={(event) => setDuration(event.target.value)}
            />
          </div>
        </div>
        <fieldset className="equipment">
          <legend>Equipment available</legend>
          {EQUIPMENT.map((item) => (
            <label key={item} className="checkbox">
              <input
                type="checkbox"
                checked={equipment.includes(item)}
                onChange={(event) => toggle(item, event.target.checked)}
              />
              {groupLabel(item)}
            </label>
          ))}
        </fieldset>
        <ErrorAlert message={failure} />
        <Busy active={pending} label="Building your plan" limitSeconds={COACH_TIMEOUT_MS / 1000} />
        <div className="actions">
          <button type="submit" className="primary" disabled={pending}>
            Recommend a workout
          </button>
        </div>
      </form>
      {plan ? <WorkoutPlan plan={plan} /> : null}
    </section>
  );
}

export function WorkoutPlan({ plan }: { plan: WorkoutRecommendation }) {
  return (
    <article className="plan" aria-labelledby="plan-title">
      <h3 id="plan-title">{plan.title}</h3>
      <p className="plan-meta">
        <span>About {plan.estimated_duration_minutes} minutes</span>
        <span className="badge">{plan.difficulty}</span>
      </p>
      <p>{plan.description}</p>
      {plan.based_on ? <PlanBasisNote basis={plan.based_on} /> : null}
      <ol className="plan-exercises">
        {plan.exercises.map((exercise, index) => (
          <li key={`${exercise.name}-${index}`}>
            <div className="plan-line">
              <strong>{exercise.name}</strong>
              <span>
                {exercise.sets} × {exercise.reps}
              </span>
              {exercise.weight_suggestion ? <span>{exercise.weight_suggestion}</span> : null}
              {exercise.muscle_group ? (
                <span className="badge">{groupLabel(exercise.muscle_group)}</span>
              ) : null}
            </div>
            {exercise.notes ? <p className="hint">{exercise.notes}</p> : null}
          </li>
        ))}
      </ol>
      {plan.tips?.length ? (
        <>
          <h4>Tips</h4>
          <ul>
            {plan.tips.map((tip) => (
              <li key={tip}>{tip}</li>
            ))}
          </ul>
        </>
      ) : null}
    </article>
  );
}

/** What a signed-in plan was built from: the part of the log read and the rule applied. */
export function PlanBasisNote({ basis }: { basis: PlanBasis }) {
  return (
    <section className="plan-basis" aria-labelledby="plan-basis-heading">
      <h4 id="plan-basis-heading">Based on your log</h4>
      <p>
        {basis.workouts} {basis.workouts === 1 ? 'workout' : 'workouts'} read since{' '}
        {formatDay(basis.since)}.
      </p>
      <p>
        <strong>Progression:</strong> {basis.progression_rule}
      </p>
      {basis.note ? <p className="hint">{basis.note}</p> : null}
      {basis.recovering_groups.length > 0 ? (
        <p>
          <strong>Left out to recover:</strong> {basis.recovering_groups.map(groupLabel).join(', ')}{' '}
          (trained hard in the last 48 hours).
        </p>
      ) : null}
    </section>
  );
}
