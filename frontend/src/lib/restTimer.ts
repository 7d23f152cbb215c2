import { STORAGE_KEYS, readJson, writeJson } from './storage';

/**
 * The rest timer keeps only its end time (epoch ms): the time left is computed from the
 * clock on every tick, so it stays right after the phone sleeps or the tab is reloaded.
 */
export interface RestTimer {
  endsAt: number;
  seconds: number;
}

export function startRest(seconds: number, now = Date.now(), storage?: Storage): RestTimer {
  const timer = { endsAt: now + seconds * 1000, seconds };
  writeJson(STORAGE_KEYS.restTimer, timer, storage);
  return timer;
}

export function loadRest(storage?: Storage): RestTimer | null {
  return readJson<RestTimer>(STORAGE_KEYS.restTimer, storage);
}

export function stopRest(storage?: Storage): void {
  writeJson(STORAGE_KEYS.restTimer, null, storage);
}

/** Add (or with a negative number take away) rest, never ending before now. */
export function extendRest(timer: RestTimer, seconds: number, now = Date.now()): RestTimer {
  const endsAt = Math.max(now, timer.endsAt + seconds * 1000);
  const next = { endsAt, seconds: Math.max(timer.seconds, Math.ceil((endsAt - now) / 1000)) };
  writeJson(STORAGE_KEYS.restTimer, next);
  return next;
}

/** Whole seconds left (rounded up, so 0 means done). */
export function secondsLeft(timer: RestTimer, now: number): number {
  // Never above the length set: a clock read just before the start would show 1:31 of 1:30.
  return Math.min(timer.seconds, Math.max(0, Math.ceil((timer.endsAt - now) / 1000)));
}

/** A workout's length for people: "45 min", "1 h 05 min", "under a minute". */
export function formatDuration(totalSeconds: number): string {
  const minutes = Math.floor(Math.max(0, totalSeconds) / 60);
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

export function formatClock(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = String(s % 60).padStart(2, '0');
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
    : `${minutes}:${seconds}`;
}
