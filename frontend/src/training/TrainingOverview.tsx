import type { Stats, WeightUnit } from '../api/trainingTypes';
import { groupLabel } from '../lib/muscleGroups';
import { formatWeight } from '../lib/units';

export const OVERVIEW_WEEKS = 4;

/** The streak and, per muscle, the last four weeks' hard sets (and a week's share), as a bar list. */
export function TrainingOverview({ stats, unit }: { stats: Stats; unit: WeightUnit }) {
  const muscles = [...stats.by_muscle]
    .filter((item) => item.sets > 0)
    .sort((a, b) => b.sets - a.sets || a.muscle.localeCompare(b.muscle));
  const most = Math.max(1, ...muscles.map((item) => item.sets));
  const streak = stats.streak_weeks;
  return (
    <section className="training-overview card" aria-labelledby="overview-title">
      <h2 id="overview-title">Last {OVERVIEW_WEEKS} weeks</h2>
      <p className="overview-streak">
        <strong>{streak}</strong> {streak === 1 ? 'week' : 'weeks'} in a row with a workout
        {streak === 0 ? ' — a workout this week starts a new streak.' : ''}
      </p>
      {muscles.length === 0 ? (
        <p className="muted">No sets in the last {OVERVIEW_WEEKS} weeks.</p>
      ) : (
        <>
          <h3 id="muscle-volume-title">Hard sets by muscle</h3>
          <ul className="muscle-bars" aria-labelledby="muscle-volume-title">
            {muscles.map((item) => {
              const perWeek = item.sets / OVERVIEW_WEEKS;
              const shown = Number.isInteger(perWeek) ? String(perWeek) : perWeek.toFixed(1);
              return (
                <li key={item.muscle}>
                  <span className="muscle-name">{groupLabel(item.muscle)}</span>
                  <span className="muscle-bar" aria-hidden="true">
                    <span style={{ width: `${(item.sets / most) * 100}%` }} />
                  </span>
                  <span className="muscle-figures">
                    {item.sets} {item.sets === 1 ? 'set' : 'sets'}, {shown} a week
                    <span className="muted"> · {formatWeight(item.volume_kg, unit)}</span>
                  </span>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
