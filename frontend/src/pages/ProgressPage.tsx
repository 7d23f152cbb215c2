import { useEffect, useId, useState } from 'react';
import { apiClient } from '../api/clients';
import { errorMessage } from '../api/errors';
import { listRecords, progress } from '../api/training';
import type { ExerciseRecords, Progress, RecordValue } from '../api/trainingTypes';
import { useAuth } from '../auth/AuthContext';
import { ErrorAlert } from '../components/ErrorAlert';
import { loadSettings } from '../lib/settings';
import { formatWeight } from '../lib/units';
import { Link } from '../router';
import { ProgressChart } from '../training/ProgressChart';

export default function ProgressPage() {
  const { store, session } = useAuth();
  const [records, setRecords] = useState<ExerciseRecords[] | null>(null);
  const [chosen, setChosen] = useState<number | null>(null);
  const [points, setPoints] = useState<Progress | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const unit = loadSettings().unit;
  const selectId = useId();

  useEffect(() => {
    if (!session) return undefined;
    let cancelled = false;
    store
      .withToken((token) => listRecords(apiClient, token))
      .then((items) => {
        if (cancelled) return;
        setRecords(items);
        setChosen((current) => current ?? items[0]?.template_id ?? null);
      })
      .catch((error: unknown) => {
        if (!cancelled) setFailure(errorMessage(error));
      });
    return () => {
      cancelled = true;
    };
  }, [store, session]);

  useEffect(() => {
    if (chosen === null) return undefined;
    let cancelled = false;
    store
      .withToken((token) => progress(apiClient, token, chosen))
      .then((answer) => {
        if (!cancelled) setPoints(answer);
      })
      .catch((error: unknown) => {
        if (!cancelled) setFailure(errorMessage(error));
      });
    return () => {
      cancelled = true;
    };
  }, [store, chosen]);

  if (!session) {
    return (
      <section className="narrow">
        <h1 tabIndex={-1}>Progress</h1>
        <p>
          <Link to="/sign-in" remember>
            Sign in
          </Link>{' '}
          to see your progress.
        </p>
      </section>
    );
  }
  const current = records?.find((item) => item.template_id === chosen) ?? null;
  return (
    <section className="progress narrow">
      <h1 tabIndex={-1}>Progress</h1>
      <ErrorAlert message={failure} />
      {records && records.length === 0 ? (
        <p>
          Finish a workout to see your progress. <Link to="/workout">Start one</Link>.
        </p>
      ) : null}
      {records && records.length > 0 ? (
        <label htmlFor={selectId}>
          Exercise{' '}
          <select
            id={selectId}
            value={chosen ?? ''}
            onChange={(event) => setChosen(Number(event.target.value))}
          >
            {records.map((item) => (
              <option key={item.template_id} value={item.template_id}>
                {item.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {points && points.points.length > 0 ? (
        <>
          <h2>Estimated one-rep max</h2>
          <ProgressChart points={points.points} unit={unit} />
          <details>
            <summary>Show as a table</summary>
            <table className="data-table">
              <caption className="visually-hidden">Estimated one-rep max by workout</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">e1RM</th>
                </tr>
              </thead>
              <tbody>
                {points.points.map((point) => (
                  <tr key={point.workout_id}>
                    <td>
                      <Link to={`/history/${point.workout_id}`}>{point.date}</Link>
                    </td>
                    <td>{formatWeight(point.value, unit)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      ) : points ? (
        <p className="muted">No sets with 1–12 reps yet, so no estimated one-rep max.</p>
      ) : null}
      {current ? <RecordsTable records={current} unit={unit} /> : null}
    </section>
  );
}

function RecordsTable({ records, unit }: { records: ExerciseRecords; unit: 'kg' | 'lb' }) {
  const rows: [string, RecordValue | null, (value: number) => string][] = [
    ['Heaviest weight', records.heaviest_weight, (v) => formatWeight(v, unit)],
    ['Best estimated 1RM', records.best_e1rm, (v) => formatWeight(v, unit)],
    ['Best set volume', records.best_set_volume, (v) => formatWeight(v, unit)],
    ['Most reps', records.most_reps, (v) => `${v} reps`],
    ['1-rep max', records.rep_maxes['1'], (v) => formatWeight(v, unit)],
    ['3-rep max', records.rep_maxes['3'], (v) => formatWeight(v, unit)],
    ['5-rep max', records.rep_maxes['5'], (v) => formatWeight(v, unit)],
    ['10-rep max', records.rep_maxes['10'], (v) => formatWeight(v, unit)],
  ];
  return (
    <>
      <h2>Records</h2>
      <table className="data-table">
        <caption className="visually-hidden">Personal records for {records.name}</caption>
        <thead>
          <tr>
            <th scope="col">Record</th>
            <th scope="col">Value</th>
            <th scope="col">Date</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, record, format]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{record ? format(record.value) : '–'}</td>
              <td>
                {record ? (
                  <Link to={`/history/${record.workout_id}`}>
                    {new Date(record.achieved_at).toLocaleDateString()}
                  </Link>
                ) : (
                  ''
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
