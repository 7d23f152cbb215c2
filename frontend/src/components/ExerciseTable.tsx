import type { Exercise, SortColumn, SortOrder } from '../api/types';

/** `unit` is shown only on a phone, where the columns become one line per exercise. */
const COLUMNS: { key: SortColumn; label: string; numeric?: boolean; unit?: string }[] = [
  { key: 'id', label: 'ID', numeric: true },
  { key: 'name', label: 'Name' },
  { key: 'sets', label: 'Sets', numeric: true },
  { key: 'reps', label: 'Reps', numeric: true },
  { key: 'weight', label: 'Weight', numeric: true, unit: ' (kg)' },
  { key: 'workout_day', label: 'Day' },
];

interface Props {
  exercises: Exercise[];
  sortBy: SortColumn;
  sortOrder: SortOrder;
  onSort: (column: SortColumn) => void;
  /** Null hides the row actions (signed out or read-only). */
  actions: null | {
    onEdit: (exercise: Exercise) => void;
    onDelete: (exercise: Exercise) => void;
  };
}

export function formatWeight(weight: number | null): string {
  return weight === null ? '—' : String(weight);
}

export function ExerciseTable({ exercises, sortBy, sortOrder, onSort, actions }: Props) {
  return (
    <div className="table-scroll">
      <table className={actions ? 'exercise-table with-actions' : 'exercise-table'}>
        <caption className="visually-hidden">
          Exercises, sorted by {sortBy} {sortOrder === 'asc' ? 'ascending' : 'descending'}
        </caption>
        <thead>
          <tr>
            {COLUMNS.map(({ key, label, numeric, unit }) => {
              const active = key === sortBy;
              const next = active && sortOrder === 'asc' ? 'descending' : 'ascending';
              return (
                <th
                  key={key}
                  scope="col"
                  className={numeric ? 'numeric' : undefined}
                  aria-sort={active ? (sortOrder === 'asc' ? 'ascending' : 'descending') : 'none'}
                >
                  <button
                    type="button"
                    className="sort"
                    onClick={() => onSort(key)}
                    aria-label={`${label}${unit ?? ''}: sort ${next}`}
                  >
                    {label}
                    {unit ? <span className="wide-only">{unit}</span> : null}
                    <span aria-hidden="true" className="sort-mark">
                      {active ? (sortOrder === 'asc' ? '▲' : '▼') : '↕'}
                    </span>
                  </button>
                </th>
              );
            })}
            {actions ? (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {exercises.map((exercise) => (
            <tr key={exercise.id} data-testid={`exercise-row-${exercise.id}`}>
              <td className="numeric" data-label="ID">
                {exercise.id}
              </td>
              <td data-label="Name">{exercise.name}</td>
              <td className="numeric figure" data-label="Sets" data-unit="sets">
                {exercise.sets}
              </td>
              <td className="numeric figure" data-label="Reps" data-unit="reps">
                {exercise.reps}
              </td>
              <td
                className="numeric figure"
                data-label="Weight (kg)"
                data-unit={exercise.weight === null ? undefined : 'kg'}
              >
                {formatWeight(exercise.weight)}
              </td>
              <td className="figure" data-label="Day" data-prefix="Day">
                {exercise.workout_day}
              </td>
              {actions ? (
                <td className="row-actions">
                  <div className="row-buttons">
                    <button
                      type="button"
                      aria-label={`Edit ${exercise.name}`}
                      onClick={() => actions.onEdit(exercise)}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="danger-outline"
                      aria-label={`Delete ${exercise.name}`}
                      onClick={() => actions.onDelete(exercise)}
                    >
                      Delete
                    </button>
                  </div>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
