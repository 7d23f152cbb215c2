import { describe, expect, it } from 'vitest';
import {
  calendarRange,
  calendarWeeks,
  countByDay,
  dayLabel,
  mondayOf,
  monthLabels,
  weeksAgoMonday,
  workoutDay,
} from './calendar';

describe('mondayOf', () => {
  it('gives the Monday of the UTC week, Monday and Sunday included', () => {
    expect(mondayOf(new Date('2025-03-03T00:00:00Z')).toISOString()).toBe(
      '2025-03-03T00:00:00.000Z',
    );
    expect(mondayOf(new Date('2025-03-09T23:59:59Z')).toISOString()).toBe(
      '2025-03-03T00:00:00.000Z',
    );
  });

  it('crosses a year boundary', () => {
    // 1 January 2026 is a Thursday: its week began on Monday 29 December 2025.
    expect(mondayOf(new Date('2026-01-01T12:00:00Z')).toISOString().slice(0, 10)).toBe(
      '2025-12-29',
    );
  });

  it('uses the UTC day, not the offset the time was written with', () => {
    // Monday 01:00 in Berlin is still Sunday in UTC: the week before.
    expect(workoutDay('2025-03-10T01:00:00+02:00')).toBe('2025-03-09');
    expect(mondayOf(new Date('2025-03-10T01:00:00+02:00')).toISOString().slice(0, 10)).toBe(
      '2025-03-03',
    );
  });
});

describe('calendarWeeks', () => {
  const today = new Date('2025-03-05T15:00:00Z'); // a Wednesday
  const weeks = calendarWeeks(today);

  it('has 53 Monday-first weeks ending with the week of today', () => {
    expect(weeks).toHaveLength(53);
    for (const column of weeks) {
      expect(column).toHaveLength(7);
      expect(column.map((day) => day.weekday)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(new Date(`${column[0]!.key}T00:00:00Z`).getUTCDay()).toBe(1);
    }
    const last = weeks[52]!;
    expect(last[0]!.key).toBe('2025-03-03');
    expect(last[2]).toMatchObject({ key: '2025-03-05', isToday: true, isFuture: false });
    expect(last[3]).toMatchObject({ key: '2025-03-06', isToday: false, isFuture: true });
    expect(weeks[0]![0]!.key).toBe('2024-03-04');
  });

  it('holds 29 February in a leap year, every day once', () => {
    const leap = calendarWeeks(new Date('2024-03-10T00:00:00Z'));
    const keys = leap.flat().map((day) => day.key);
    expect(keys).toContain('2024-02-29');
    expect(new Set(keys).size).toBe(53 * 7);
    const index = keys.indexOf('2024-02-29');
    expect(keys[index + 1]).toBe('2024-03-01');
    expect(
      calendarWeeks(today)
        .flat()
        .map((day) => day.key),
    ).not.toContain('2025-02-29');
  });

  it('runs across the new year without a gap', () => {
    const keys = calendarWeeks(new Date('2026-01-02T00:00:00Z'))
      .flat()
      .map((day) => day.key);
    const index = keys.indexOf('2025-12-31');
    expect(keys.slice(index, index + 2)).toEqual(['2025-12-31', '2026-01-01']);
  });

  it('labels each month once, above the week holding its 1st', () => {
    const labels = monthLabels(weeks);
    expect(labels.map((label) => label.label)).toEqual([
      'Apr',
      'May',
      'Jun',
      'Jul',
      'Aug',
      'Sep',
      'Oct',
      'Nov',
      'Dec',
      'Jan',
      'Feb',
      'Mar',
    ]);
    const march = labels.at(-1)!;
    expect(weeks[march.week]!.map((day) => day.key)).toContain('2025-03-01');
  });
});

describe('requests and labels', () => {
  it('asks from the first day shown to tomorrow (exclusive)', () => {
    expect(calendarRange(new Date('2025-12-31T23:00:00Z'))).toEqual({
      from: '2024-12-30',
      to: '2026-01-01',
    });
  });

  it('gives the Monday some weeks back', () => {
    expect(weeksAgoMonday(new Date('2025-03-05T00:00:00Z'), 3)).toBe('2025-02-10');
  });

  it('says the date, today and how many workouts', () => {
    expect(dayLabel('2025-03-03', 1)).toBe('3 March 2025: 1 workout');
    expect(dayLabel('2025-03-03', 2, true)).toBe('3 March 2025, today: 2 workouts');
    expect(dayLabel('2024-02-29', 0)).toBe('29 February 2024: no workouts');
  });

  it('counts workouts per UTC day', () => {
    const counts = countByDay([
      '2025-03-03T07:00:00Z',
      '2025-03-03T18:00:00+01:00',
      '2025-03-04T00:30:00+02:00',
    ]);
    expect(Object.fromEntries(counts)).toEqual({ '2025-03-03': 3 });
  });
});
