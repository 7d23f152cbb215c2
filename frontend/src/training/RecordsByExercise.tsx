import type { WeightUnit, WorkoutRecord } from '../api/trainingTypes';
import { describeRecord, RECORD_NAMES } from '../lib/workoutDraft';

/** A workout's new records, one line per exercise (a first workout sets many at once). */
export function RecordsByExercise({
  records,
  names,
  unit,
}: {
  records: WorkoutRecord[];
  names: Map<number, string>;
  unit: WeightUnit;
}) {
  const byExercise = new Map<number, WorkoutRecord[]>();
  for (const record of records) {
    byExercise.set(record.template_id, [...(byExercise.get(record.template_id) ?? []), record]);
  }
  return (
    <ul className="records-list">
      {[...byExercise].map(([templateId, items]) => (
        <li key={templateId}>
          <strong>{names.get(templateId) ?? 'Exercise'}</strong>
          <span className="record-kinds">
            {items
              .map((record) => `${RECORD_NAMES[record.kind]} ${describeRecord(record, unit)}`)
              .join(' · ')}
          </span>
        </li>
      ))}
    </ul>
  );
}
