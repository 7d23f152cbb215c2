/**
 * Date logic of the history page's year calendar. Everything is in UTC, with weeks starting
 * on Monday, as the API's own weeks (`/stats` weekly, ISO weeks) are: a workout belongs to
 * the UTC day of its `started_at`.
 */

const DAY_MS = 86_400_000;

export const WEEKS_SHOWN = 53;

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export const WEEKDAYS = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
];

/** `YYYY-MM-DD` of an instant's UTC day. */
export function dayKey(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The UTC day a workout started on, from its ISO 8601 `started_at` (any offset). */
export function workoutDay(startedAt: string): string {
  return dayKey(new Date(startedAt));
}

/** Midnight UTC of a `YYYY-MM-DD` key. */
export function parseDay(key: string): Date {
  return new Date(`${key}T00:00:00Z`);
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** Midnight UTC of the Monday of the (UTC) week holding `date`. */
export function mondayOf(date: Date): Date {
  const midnight = parseDay(dayKey(date));
  const sinceMonday = (midnight.getUTCDay() + 6) % 7;
  return addDays(midnight, -sinceMonday);
}

export interface CalendarDay {
  key: string;
  /** Day of the month, 1–31. */
  day: number;
  /** 0–11 */
  month: number;
  year: number;
  /** 0 = Monday … 6 = Sunday */
  weekday: number;
  isToday: boolean;
  isFuture: boolean;
}

/**
 * `weeks` columns of seven days, Monday first, oldest week first; the last column is the
 * week holding `today`, whose days after today are marked `isFuture`.
 */
export function calendarWeeks(today: Date, weeks = WEEKS_SHOWN): CalendarDay[][] {
  const todayKey = dayKey(today);
  const first = addDays(mondayOf(today), -7 * (weeks - 1));
  const columns: CalendarDay[][] = [];
  for (let week = 0; week < weeks; week += 1) {
    const column: CalendarDay[] = [];
    for (let weekday = 0; weekday < 7; weekday += 1) {
      const date = addDays(first, week * 7 + weekday);
      const key = dayKey(date);
      column.push({
        key,
        day: date.getUTCDate(),
        month: date.getUTCMonth(),
        year: date.getUTCFullYear(),
        weekday,
        isToday: key === todayKey,
        isFuture: key > todayKey,
      });
    }
    columns.push(column);
  }
  return columns;
}

/** The `from` (first day shown) and `to` (tomorrow, exclusive) of the calendar's request. */
export function calendarRange(today: Date, weeks = WEEKS_SHOWN): { from: string; to: string } {
  return {
    from: dayKey(addDays(mondayOf(today), -7 * (weeks - 1))),
    to: dayKey(addDays(parseDay(dayKey(today)), 1)),
  };
}

export interface MonthLabel {
  /** Index of the week column the label sits above. */
  week: number;
  label: string;
}

/** A short month name above the first column holding the 1st of that month. */
export function monthLabels(weeks: CalendarDay[][]): MonthLabel[] {
  const labels: MonthLabel[] = [];
  weeks.forEach((column, index) => {
    const first = column.find((day) => day.day === 1);
    if (first) labels.push({ week: index, label: (MONTHS[first.month] ?? '').slice(0, 3) });
  });
  return labels;
}

/** "3 March 2025" */
export function longDate(key: string): string {
  const date = parseDay(key);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** The accessible label of a day: "3 March 2025: 1 workout", "…, today: no workouts". */
export function dayLabel(key: string, count: number, isToday = false): string {
  const workouts = count === 0 ? 'no workouts' : `${count} ${count === 1 ? 'workout' : 'workouts'}`;
  return `${longDate(key)}${isToday ? ', today' : ''}: ${workouts}`;
}

/** Workouts per UTC day. */
export function countByDay(startedAts: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const startedAt of startedAts) {
    const key = workoutDay(startedAt);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Monday of the week `weeksBack` weeks before today's (0 = this week's), as `YYYY-MM-DD`. */
export function weeksAgoMonday(today: Date, weeksBack: number): string {
  return dayKey(addDays(mondayOf(today), -7 * weeksBack));
}
