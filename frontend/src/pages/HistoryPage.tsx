import { useEffect, useMemo, useState } from 'react';
import { apiClient } from '../api/clients';
import { errorMessage } from '../api/errors';
import {
  deleteWorkout,
  getStats,
  getWorkout,
  listWorkouts,
  listWorkoutsBetween,
  patchWorkout,
  replaceWorkout,
} from '../api/training';
import type { Stats, Workout, WorkoutSummary } from '../api/trainingTypes';
import { useAuth } from '../auth/AuthContext';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorAlert } from '../components/ErrorAlert';
import { calendarRange, countByDay, longDate, weeksAgoMonday, workoutDay } from '../lib/calendar';
import { retry } from '../lib/outbox';
import { formatDuration } from '../lib/restTimer';
import { loadSettings } from '../lib/settings';
import { formatWeight } from '../lib/units';
import { describeSet, SET_TYPE_LABELS } from '../lib/workoutDraft';
import { Link, navigate } from '../router';
import { RecordsByExercise } from '../training/RecordsByExercise';
import { TrainingCalendar } from '../training/TrainingCalendar';
import { OVERVIEW_WEEKS, TrainingOverview } from '../training/TrainingOverview';
import { useOutbox } from '../training/useOutbox';
import { WorkoutEditForm } from '../training/WorkoutEditForm';
import { WorkoutSetsForm } from '../training/WorkoutSetsForm';
import './HistoryPage.css';

const PAGE_SIZE = 20;

function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export default function HistoryPage({ workoutId }: { workoutId: number | null }) {
  const { session } = useAuth();
  if (!session) {
    return (
      <section className="narrow">
        <h1 tabIndex={-1}>History</h1>
        <p>
          <Link to="/sign-in" remember>
            Sign in
          </Link>{' '}
          to see your workouts.
        </p>
      </section>
    );
  }
  return workoutId === null ? <WorkoutList /> : <WorkoutDetail id={workoutId} />;
}

function Waiting() {
  const { items, send } = useOutbox();
  if (items.length === 0) return null;
  return (
    <section className="waiting" aria-label="Waiting to sync">
      <h2>Waiting to sync</h2>
      <ul className="plain-list">
        {items.map((item) => (
          <li key={item.workout.client_id}>
            <strong>{item.workout.title}</strong> · {when(item.workout.started_at)}
            {item.error ? (
              <>
                <span className="error-text"> Refused: {item.error}</span>{' '}
                <button
                  type="button"
                  onClick={() => {
                    retry(item.workout.client_id);
                    void send();
                  }}
                >
                  Try again
                </button>
              </>
            ) : (
              <span className="muted"> Kept on this device, sent when the connection returns.</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function WorkoutList() {
  const { store } = useAuth();
  const { items: waiting } = useOutbox();
  const [items, setItems] = useState<WorkoutSummary[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [page, setPage] = useState(1);
  const [failure, setFailure] = useState<string | null>(null);
  const unit = loadSettings().unit;
  const [today] = useState(() => new Date());
  const [year, setYear] = useState<WorkoutSummary[] | null>(null);
  const [stats, setStats] = useState<Stats | null>(null);
  const [day, setDay] = useState<string | null>(null);
  const [yearFailure, setYearFailure] = useState<string | null>(null);
  const counts = useMemo(
    () => countByDay((year ?? []).map((workout) => workout.started_at)),
    [year],
  );
  const onDay = useMemo(
    () => (year ?? []).filter((workout) => workoutDay(workout.started_at) === day),
    [year, day],
  );

  // The calendar reads the year's summaries (pages of 100): they carry each workout's start,
  // so days can be filled and a chosen day's list shown without another request. `/stats`
  // weekly would be cheaper but knows only weeks.
  useEffect(() => {
    let cancelled = false;
    const { from, to } = calendarRange(today);
    store
      .withToken((token) => listWorkoutsBetween(apiClient, token, from, to))
      .then((answer) => {
        if (!cancelled) setYear(answer);
      })
      .catch((error: unknown) => {
        if (!cancelled) setYearFailure(`The calendar could not be loaded. ${errorMessage(error)}`);
      });
    store
      .withToken((token) => getStats(apiClient, token, weeksAgoMonday(today, OVERVIEW_WEEKS - 1)))
      .then((answer) => {
        if (!cancelled) setStats(answer);
      })
      .catch((error: unknown) => {
        if (!cancelled) setFailure(errorMessage(error));
      });
    return () => {
      cancelled = true;
    };
  }, [store, today, waiting.length]);

  useEffect(() => {
    let cancelled = false;
    store
      .withToken((token) => listWorkouts(apiClient, token, page, PAGE_SIZE))
      .then((answer) => {
        if (cancelled) return;
        setItems((current) => (page === 1 ? answer.items : [...current, ...answer.items]));
        setTotal(answer.total);
        setFailure(null);
      })
      .catch((error: unknown) => {
        if (!cancelled) setFailure(errorMessage(error));
      });
    return () => {
      cancelled = true;
    };
    // A synced workout (the outbox shrinking) appears without a reload.
  }, [store, page, waiting.length]);

  return (
    <section className="history">
      <h1 tabIndex={-1}>History</h1>
      <Waiting />
      <ErrorAlert message={failure} />
      {total === null && !failure ? <p className="muted">Loading your workouts…</p> : null}
      {total === 0 ? (
        <p>
          No workouts yet. <Link to="/workout">Start one</Link>.
        </p>
      ) : null}
      <ErrorAlert message={yearFailure} />
      {year !== null ? (
        <TrainingCalendar today={today} counts={counts} selected={day} onSelect={setDay} />
      ) : null}
      {stats ? <TrainingOverview stats={stats} unit={unit} /> : null}
      {day !== null ? (
        <>
          <div className="day-filter">
            <h2>Workouts on {longDate(day)}</h2>
            <button type="button" onClick={() => setDay(null)}>
              Show all workouts
            </button>
          </div>
          {year === null ? <p className="muted">Loading…</p> : null}
          {year !== null && onDay.length === 0 ? (
            <p className="muted">No workouts on this day.</p>
          ) : null}
          <WorkoutItems items={onDay} />
        </>
      ) : (
        <>
          <h2 className="visually-hidden">All workouts</h2>
          <WorkoutItems items={items} />
        </>
      )}
      {day === null && total !== null && items.length < total ? (
        <button type="button" onClick={() => setPage((current) => current + 1)}>
          Show older workouts
        </button>
      ) : null}
    </section>
  );
}

function WorkoutItems({ items }: { items: WorkoutSummary[] }) {
  const unit = loadSettings().unit;
  return (
    <ol className="workout-list">
      {items.map((workout) => (
        <li key={workout.id} className="workout-item">
          <Link to={`/history/${workout.id}`} className="workout-item-title">
            {workout.title}
          </Link>
          <span className="muted">{when(workout.started_at)}</span>
          <span className="workout-item-figures">
            {workout.duration_s !== null ? `${formatDuration(workout.duration_s)} · ` : ''}
            {formatWeight(workout.volume_kg, unit)} · {workout.set_count}{' '}
            {workout.set_count === 1 ? 'set' : 'sets'}
            {workout.record_count > 0
              ? ` · ${workout.record_count} ${workout.record_count === 1 ? 'record' : 'records'}`
              : ''}
          </span>
          <span className="muted">
            {workout.exercises
              .map((exercise) => `${exercise.set_count} × ${exercise.name}`)
              .join(', ')}
          </span>
        </li>
      ))}
    </ol>
  );
}

function WorkoutDetail({ id }: { id: number }) {
  const { store, canWrite } = useAuth();
  const [workout, setWorkout] = useState<Workout | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [editing, setEditing] = useState<'details' | 'sets' | null>(null);
  const [saved, setSaved] = useState(false);
  const unit = loadSettings().unit;

  useEffect(() => {
    let cancelled = false;
    store
      .withToken((token) => getWorkout(apiClient, token, id))
      .then((answer) => {
        if (!cancelled) setWorkout(answer);
      })
      .catch((error: unknown) => {
        if (!cancelled) setFailure(errorMessage(error));
      });
    return () => {
      cancelled = true;
    };
  }, [store, id]);

  if (!workout) {
    return (
      <section className="narrow">
        <h1 tabIndex={-1}>Workout</h1>
        <ErrorAlert message={failure} />
        {!failure ? <p className="muted">Loading…</p> : null}
        <Link to="/history">Back to history</Link>
      </section>
    );
  }
  const names = new Map(workout.exercises.map((exercise) => [exercise.template_id, exercise.name]));
  const duration = workout.ended_at
    ? (Date.parse(workout.ended_at) - Date.parse(workout.started_at)) / 1000
    : null;
  return (
    <section className="workout-detail narrow">
      <p>
        <Link to="/history">← History</Link>
      </p>
      <h1 tabIndex={-1}>{workout.title}</h1>
      <p className="muted">
        {when(workout.started_at)}
        {duration !== null ? ` · ${formatDuration(duration)}` : ''}
      </p>
      {workout.notes ? <p className="workout-notes">{workout.notes}</p> : null}
      <p className="notice" role="status">
        {saved ? 'Changes saved.' : ''}
      </p>
      {canWrite && !editing ? (
        <div className="actions workout-actions">
          <button
            type="button"
            onClick={() => {
              setSaved(false);
              setEditing('details');
            }}
          >
            Edit details
          </button>
          {workout.exercises.length > 0 ? (
            <button
              type="button"
              onClick={() => {
                setSaved(false);
                setEditing('sets');
              }}
            >
              Edit sets
            </button>
          ) : null}
          <button type="button" className="danger-outline" onClick={() => setDeleting(true)}>
            Delete
          </button>
        </div>
      ) : null}
      {editing === 'sets' ? (
        <WorkoutSetsForm
          workout={workout}
          unit={unit}
          onCancel={() => setEditing(null)}
          onSave={async (body) => {
            const answer = await store.withToken((token) =>
              replaceWorkout(apiClient, token, workout.id, body),
            );
            setWorkout(answer);
            setEditing(null);
            setSaved(true);
          }}
        />
      ) : null}
      {editing === 'details' ? (
        <WorkoutEditForm
          workout={workout}
          onCancel={() => setEditing(null)}
          onSave={async (patch) => {
            const answer = await store.withToken((token) =>
              patchWorkout(apiClient, token, workout.id, patch),
            );
            setWorkout({ ...workout, ...answer });
            setEditing(null);
            setSaved(true);
          }}
        />
      ) : null}
      {workout.records.length > 0 ? (
        <>
          <h2>Personal records</h2>
          <RecordsByExercise records={workout.records} names={names} unit={unit} />
        </>
      ) : null}
      {workout.exercises.map((exercise) => (
        <section key={exercise.position} aria-label={exercise.name} className="exercise-card">
          <h2>{exercise.name}</h2>
          <ol className="set-list">
            {exercise.sets.map((set) => (
              <li key={set.position}>
                <span className="set-type-label">{SET_TYPE_LABELS[set.type] || '•'}</span>{' '}
                {describeSet(set, unit)}
                {set.rpe !== null ? ` @ RPE ${set.rpe}` : ''}
                {set.completed ? '' : ' (not done)'}
              </li>
            ))}
          </ol>
        </section>
      ))}
      {deleting ? (
        <ConfirmDialog
          title="Delete this workout?"
          message={`“${workout.title}” and its sets will be deleted, and records recalculated. This cannot be undone.`}
          confirmLabel="Delete"
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            await store.withToken((token) => deleteWorkout(apiClient, token, workout.id));
            navigate('/history');
          }}
        />
      ) : null}
    </section>
  );
}
