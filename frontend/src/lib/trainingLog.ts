import type { WeightUnit } from '../api/trainingTypes';
import type { GroupWeeklySets, RecordInPeriod, TrainingLogAnalysis } from '../api/types';
import { formatWeight } from './units';

/** The periods a lifter can ask the coach to analyse, in weeks. */
export const ANALYSIS_WEEKS = [4, 8, 12] as const;
export const DEFAULT_ANALYSIS_WEEKS = 8;

type Target = TrainingLogAnalysis['target_sets_per_week'];

const DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const DAY_YEAR = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/** A calendar date as the coach sends it ("2026-02-09"), e.g. "9 Feb 2026". */
export function formatDay(isoDate: string, withYear = true): string {
  const date = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDate;
  return (withYear ? DAY_YEAR : DAY).format(date);
}

/** "9 Feb – 4 Mar 2026", or with both years when the period spans a new year. */
export function formatPeriod(start: string, end: string): string {
  const sameYear = start.slice(0, 4) === end.slice(0, 4);
  return `${formatDay(start, !sameYear)} – ${formatDay(end)}`;
}

export function formatCount(value: number): string {
  return value.toLocaleString('en', { maximumFractionDigits: 1 });
}

/** "12 / 10–20": the average hard sets a week against the target range. */
export function targetFigure(average: number, target: Target): string {
  return `${formatCount(average)} / ${target[0]}–${target[1]}`;
}

export const STATUS_LABELS: Record<GroupWeeklySets['status'], string> = {
  below: 'Below target',
  within: 'On target',
  above: 'Above target',
};

/**
 * Where a bar of `average` and the target band sit on a common scale, in percent: the scale
 * reaches a quarter past the target's top, or the largest average when that is higher.
 */
export function barScale(groups: GroupWeeklySets[], target: Target): number {
  return Math.max(target[1] * 1.25, ...groups.map((group) => group.average));
}

export function percentOf(value: number, scale: number): number {
  if (scale <= 0) return 0;
  return Math.min(100, Math.max(0, (value / scale) * 100));
}

const RECORD_KINDS: Record<string, string> = {
  heaviest_weight: 'Heaviest weight',
  best_e1rm: 'Best estimated 1RM',
  best_set_volume: 'Best set volume',
  most_reps: 'Most reps',
};

/** "Heaviest weight", "5-rep max"… for the kinds the coach reports, the raw kind otherwise. */
export function recordKindLabel(kind: string): string {
  const repMax = /^rep_max_(\d+)$/.exec(kind);
  if (repMax) return `${repMax[1]}-rep max`;
  return RECORD_KINDS[kind] ?? kind.replace(/_/g, ' ');
}

/** "Heaviest weight 102.5 kg": reps for the most-reps record, a weight for the others. */
export function describePeriodRecord(record: RecordInPeriod, unit: WeightUnit): string {
  const value =
    record.kind === 'most_reps'
      ? `${formatCount(record.value)} reps`
      : formatWeight(record.value, unit);
  return `${recordKindLabel(record.kind)} ${value}`;
}

/**
 * The period's records one entry per exercise, in the coach's order: a first workout sets
 * many records at once, and a line each would bury the list on a phone.
 */
export function recordsByExercise(
  records: RecordInPeriod[],
): { exercise: string; records: RecordInPeriod[] }[] {
  const grouped = new Map<string, RecordInPeriod[]>();
  for (const record of records) {
    grouped.set(record.exercise, [...(grouped.get(record.exercise) ?? []), record]);
  }
  return [...grouped].map(([exercise, items]) => ({ exercise, records: items }));
}

/** The calendar day all these records were set on, or null when they differ. */
export function sharedDay(records: RecordInPeriod[]): string | null {
  const days = new Set(records.map((record) => record.achieved_at.slice(0, 10)));
  return days.size === 1 ? [...days][0]! : null;
}
