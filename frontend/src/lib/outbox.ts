import { ApiError } from '../api/errors';
import type { Workout, WorkoutIn } from '../api/trainingTypes';
import { STORAGE_KEYS, readJson, writeJson } from './storage';

/** A finished workout not yet accepted by the API; `client_id` makes a resend harmless. */
export interface Pending {
  workout: WorkoutIn;
  /** Why the API refused it (kept, never dropped, so nothing typed is lost). */
  error?: string;
}

const CHANGE_EVENT = 'workout:outbox';

export function pending(storage?: Storage): Pending[] {
  return readJson<Pending[]>(STORAGE_KEYS.outbox, storage) ?? [];
}

function store(items: Pending[], storage?: Storage): boolean {
  const ok = writeJson(STORAGE_KEYS.outbox, items.length > 0 ? items : null, storage);
  globalThis.dispatchEvent?.(new Event(CHANGE_EVENT));
  return ok;
}

export function subscribeOutbox(onChange: () => void): () => void {
  globalThis.addEventListener?.(CHANGE_EVENT, onChange);
  globalThis.addEventListener?.('storage', onChange);
  return () => {
    globalThis.removeEventListener?.(CHANGE_EVENT, onChange);
    globalThis.removeEventListener?.('storage', onChange);
  };
}

/** Queue a workout (once per client_id) before any attempt to send it. */
export function enqueue(workout: WorkoutIn, storage?: Storage): boolean {
  const items = pending(storage).filter((item) => item.workout.client_id !== workout.client_id);
  return store([...items, { workout }], storage);
}

/** Worth trying again later: no answer, a timeout, rate limiting or a server fault. */
function transient(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return error.kind !== 'http' || error.status === 429 || error.status >= 500;
}

export interface FlushResult {
  sent: Workout[];
  waiting: number;
}

let flushing: Promise<FlushResult> | null = null;

/**
 * Send every queued workout in order. A transient failure stops the run and keeps the rest
 * for the next one; a refusal is kept with its reason so the lifter can see it.
 */
export function flush(
  send: (workout: WorkoutIn) => Promise<Workout>,
  storage?: Storage,
): Promise<FlushResult> {
  flushing ??= (async () => {
    const sent: Workout[] = [];
    for (const item of pending(storage)) {
      if (item.error) continue;
      try {
        sent.push(await send(item.workout));
        store(
          pending(storage).filter((other) => other.workout.client_id !== item.workout.client_id),
          storage,
        );
      } catch (error) {
        if (transient(error)) break;
        store(
          pending(storage).map((other) =>
            other.workout.client_id === item.workout.client_id
              ? { ...other, error: error instanceof Error ? error.message : String(error) }
              : other,
          ),
          storage,
        );
      }
    }
    return { sent, waiting: pending(storage).length };
  })().finally(() => {
    flushing = null;
  });
  return flushing;
}

/** Clear a refusal so the next flush tries the workout again. */
export function retry(clientId: string, storage?: Storage): void {
  store(
    pending(storage).map((item) =>
      item.workout.client_id === clientId ? { workout: item.workout } : item,
    ),
    storage,
  );
}
