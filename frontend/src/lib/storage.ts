/** Keys of everything the web app keeps in localStorage (listed in docs/frontend.md). */
export const STORAGE_KEYS = {
  draft: 'workout-tracker.workout-draft',
  outbox: 'workout-tracker.outbox',
  restTimer: 'workout-tracker.rest-timer',
  settings: 'workout-tracker.settings',
  recentExercises: 'workout-tracker.recent-exercises',
  lastWorkoutDay: 'workout-tracker.last-workout-day',
} as const;

export function readJson<T>(
  key: string,
  storage: Storage | undefined = globalThis.localStorage,
): T | null {
  try {
    const raw = storage?.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

/** False when storage refused the write (private mode, quota): callers tell the lifter. */
export function writeJson(
  key: string,
  value: unknown,
  storage: Storage | undefined = globalThis.localStorage,
): boolean {
  try {
    if (value === null) storage?.removeItem(key);
    else storage?.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}
