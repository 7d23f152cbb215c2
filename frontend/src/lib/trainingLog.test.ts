import { describe, expect, it } from 'vitest';
import type { GroupWeeklySets } from '../api/types';
import {
  barScale,
  describePeriodRecord,
  formatDay,
  formatPeriod,
  percentOf,
  recordKindLabel,
  recordsByExercise,
  sharedDay,
  targetFigure,
} from './trainingLog';

function group(average: number): GroupWeeklySets {
  return {
    group: 'legs',
    average,
    sessions_per_week: 1,
    sets_per_week: [average],
    status: 'within',
  };
}

describe('training log figures', () => {
  it('writes dates and periods as a lifter reads them', () => {
    expect(formatDay('2026-02-09')).toBe('9 Feb 2026');
    expect(formatPeriod('2026-02-09', '2026-03-04')).toBe('9 Feb – 4 Mar 2026');
    expect(formatPeriod('2025-12-29', '2026-01-20')).toBe('29 Dec 2025 – 20 Jan 2026');
    expect(formatDay('not a date')).toBe('not a date');
  });

  it('shows the average against the target range', () => {
    expect(targetFigure(12, [10, 20])).toBe('12 / 10–20');
    expect(targetFigure(6.25, [10, 20])).toBe('6.3 / 10–20');
  });

  it('scales bars to a quarter past the target, or the largest average', () => {
    expect(barScale([group(6)], [10, 20])).toBe(25);
    expect(barScale([group(6), group(30)], [10, 20])).toBe(30);
    expect(percentOf(10, 25)).toBe(40);
    expect(percentOf(40, 25)).toBe(100);
    expect(percentOf(3, 0)).toBe(0);
  });

  it('names the kinds of record, rep maxes included', () => {
    expect(recordKindLabel('heaviest_weight')).toBe('Heaviest weight');
    expect(recordKindLabel('rep_max_5')).toBe('5-rep max');
    expect(recordKindLabel('something_new')).toBe('something new');
    const at = '2026-03-02T18:00:00Z';
    expect(
      describePeriodRecord(
        { exercise: 'Squat', kind: 'heaviest_weight', value: 102.5, achieved_at: at },
        'kg',
      ),
    ).toBe('Heaviest weight 102.5 kg');
    expect(
      describePeriodRecord(
        { exercise: 'Pull-Up', kind: 'most_reps', value: 12, achieved_at: at },
        'lb',
      ),
    ).toBe('Most reps 12 reps');
  });

  it('puts the records of one exercise together, in the order given', () => {
    const at = '2026-03-02T18:00:00Z';
    const squat = { exercise: 'Squat', kind: 'heaviest_weight', value: 100, achieved_at: at };
    const bench = { exercise: 'Bench', kind: 'most_reps', value: 8, achieved_at: at };
    const squatReps = { ...squat, kind: 'rep_max_5' };
    expect(recordsByExercise([squat, bench, squatReps])).toEqual([
      { exercise: 'Squat', records: [squat, squatReps] },
      { exercise: 'Bench', records: [bench] },
    ]);
  });

  it('finds the day a group of records share', () => {
    const record = {
      exercise: 'Squat',
      kind: 'most_reps',
      value: 5,
      achieved_at: '2026-03-02T18:00:00Z',
    };
    expect(sharedDay([record, { ...record, achieved_at: '2026-03-02T19:00:00Z' }])).toBe(
      '2026-03-02',
    );
    expect(sharedDay([record, { ...record, achieved_at: '2026-03-05T10:00:00Z' }])).toBeNull();
  });
});
