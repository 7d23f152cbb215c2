import type { MuscleGroupVolume } from '../api/types';
import { groupLabel } from '../lib/muscleGroups';

const number = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

/** Horizontal bars of training volume per muscle group, with the numbers as text too. */
export function VolumeChart({ groups }: { groups: MuscleGroupVolume[] }) {
  if (groups.length === 0) return <p className="hint">No exercises to chart yet.</p>;
  const max = Math.max(...groups.map((group) => group.volume), 1);
  return (
    <figure className="volume-chart">
      <figcaption>Volume by muscle group (sets × reps × kg)</figcaption>
      <table>
        <thead className="visually-hidden">
          <tr>
            <th scope="col">Muscle group</th>
            <th scope="col">Share</th>
            <th scope="col">Volume</th>
            <th scope="col">Sets</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((group) => (
            <tr key={group.group}>
              <th scope="row">{groupLabel(group.group)}</th>
              <td className="bar-cell" aria-hidden="true">
                <span className="bar" style={{ width: `${(group.volume / max) * 100}%` }} />
              </td>
              <td className="numeric">{number.format(group.volume)} kg</td>
              <td className="numeric">{group.sets} sets</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
