import { useEffect, useRef } from 'react';
import type { WeightUnit, Workout, WorkoutIn } from '../api/trainingTypes';
import { formatDuration } from '../lib/restTimer';
import { formatWeight } from '../lib/units';
import { totals } from '../lib/workoutDraft';
import { Link } from '../router';
import { RecordsByExercise } from './RecordsByExercise';

export interface FinishedWorkout {
  body: WorkoutIn;
  /** The API's answer, or null while the workout waits in the outbox. */
  saved: Workout | null;
  names: Map<number, string>;
  unit: WeightUnit;
}

export function WorkoutSummaryView({
  finished,
  onDone,
}: {
  finished: FinishedWorkout;
  onDone: () => void;
}) {
  const { body, saved, names, unit } = finished;
  const sums = totals(body);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const records = saved?.records ?? [];
  return (
    <section className="narrow workout-summary" aria-labelledby="summary-title">
      <h1 id="summary-title" tabIndex={-1} ref={heading}>
        Workout complete
      </h1>
      <p className="summary-title">{body.title}</p>
      <dl className="summary-figures">
        <div>
          <dt>Duration</dt>
          <dd>{formatDuration(sums.durationS)}</dd>
        </div>
        <div>
          <dt>Volume</dt>
          <dd>{formatWeight(sums.volumeKg, unit)}</dd>
        </div>
        <div>
          <dt>Sets</dt>
          <dd>{sums.sets}</dd>
        </div>
      </dl>
      {saved ? (
        <>
          <h2>Personal records</h2>
          {records.length === 0 ? (
            <p className="muted">No new records this time.</p>
          ) : (
            <RecordsByExercise records={records} names={names} unit={unit} />
          )}
        </>
      ) : (
        <p className="alert" role="status">
          Saved on this device. It will be sent as soon as the connection returns; records appear
          then.
        </p>
      )}
      <div className="actions">
        {saved ? (
          <Link to={`/history/${saved.id}`} className="button-link">
            View in history
          </Link>
        ) : null}
        <button type="button" className="primary" onClick={onDone}>
          Done
        </button>
      </div>
    </section>
  );
}
