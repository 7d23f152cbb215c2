import type { WeightUnit } from '../api/trainingTypes';
import type { GroupWeeklySets, TrainingLogAnalysis } from '../api/types';
import { groupLabel } from '../lib/muscleGroups';
import {
  barScale,
  describePeriodRecord,
  formatCount,
  formatDay,
  formatPeriod,
  percentOf,
  recordsByExercise,
  sharedDay,
  STATUS_LABELS,
  targetFigure,
} from '../lib/trainingLog';
import { formatWeight } from '../lib/units';

function GroupLine({
  group,
  target,
  scale,
}: {
  group: GroupWeeklySets;
  target: TrainingLogAnalysis['target_sets_per_week'];
  scale: number;
}) {
  const low = percentOf(target[0], scale);
  const high = percentOf(target[1], scale);
  return (
    <li className={`group-sets group-sets-${group.status}`}>
      <div className="group-sets-line">
        <strong className="group-name">{groupLabel(group.group)}</strong>
        <span className="group-figure">
          <span aria-hidden="true">{targetFigure(group.average, target)}</span>
          <span className="visually-hidden">
            {formatCount(group.average)} hard sets a week, target {target[0]} to {target[1]}
          </span>
        </span>
        <span className={`status-tag status-${group.status}`}>{STATUS_LABELS[group.status]}</span>
      </div>
      <div className="target-bar" aria-hidden="true">
        <span className="target-band" style={{ left: `${low}%`, width: `${high - low}%` }} />
        <span className="target-fill" style={{ width: `${percentOf(group.average, scale)}%` }} />
      </div>
      {group.suggestion ? <p className="hint group-suggestion">{group.suggestion}</p> : null}
    </li>
  );
}

/** The figures of a signed-in analysis: the lifter's own log over the chosen weeks. */
export function TrainingLogView({ log, unit }: { log: TrainingLogAnalysis; unit: WeightUnit }) {
  const scale = barScale(log.groups, log.target_sets_per_week);
  const [low, high] = log.target_sets_per_week;
  return (
    <section className="training-log" aria-labelledby="training-log-heading">
      <h3 id="training-log-heading">Your training log</h3>
      <p className="log-period">
        <span>{formatPeriod(log.period_start, log.period_end)}</span>
        <span>
          {log.workouts} {log.workouts === 1 ? 'workout' : 'workouts'} (
          {formatCount(log.workouts_per_week)} a week)
        </span>
        <span>{log.hard_sets} hard sets</span>
      </p>

      <h4>Hard sets per week by muscle group</h4>
      <p className="hint">
        Average over {log.weeks} weeks; the green band is the target of {low}–{high} hard sets a
        week.
      </p>
      {log.groups.length > 0 ? (
        <ul className="group-sets-list" aria-label="Hard sets per week by muscle group">
          {log.groups.map((group) => (
            <GroupLine
              key={group.group}
              group={group}
              target={log.target_sets_per_week}
              scale={scale}
            />
          ))}
        </ul>
      ) : (
        <p className="hint">No hard sets logged in this period.</p>
      )}

      <h4>Records in this period</h4>
      {log.records.length > 0 ? (
        <ul className="records-list" aria-label="Records in this period">
          {recordsByExercise(log.records).map(({ exercise, records }) => {
            const day = sharedDay(records);
            return (
              <li key={exercise}>
                <strong>{exercise}</strong>
                {day ? <span className="record-day"> · {formatDay(day, false)}</span> : null}
                <span className="record-kinds">
                  {records.map((record, index) => (
                    <span key={`${record.kind}-${record.achieved_at}`}>
                      {index > 0 ? ' · ' : ''}
                      <span className="record-item">
                        {describePeriodRecord(record, unit)}
                        {day ? '' : ` (${formatDay(record.achieved_at, false)})`}
                      </span>
                    </span>
                  ))}
                </span>
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="hint">No new records in this period.</p>
      )}

      <h4>Stalled lifts</h4>
      {log.stalled_lifts.length > 0 ? (
        <ul className="stalled-list" aria-label="Stalled lifts">
          {log.stalled_lifts.map((lift) => (
            <li key={lift.exercise}>
              <strong>{lift.exercise}</strong>
              <span className="record-kinds">
                e1RM {formatWeight(lift.first_e1rm, unit)}, then at best{' '}
                {formatWeight(lift.best_since, unit)} over {lift.sessions} sessions
              </span>
              <p className="hint">{lift.suggestion}</p>
            </li>
          ))}
        </ul>
      ) : (
        <p className="hint">None: every lift you trained often in the last 3 weeks moved up.</p>
      )}
    </section>
  );
}
