import { useCallback, useEffect, useSyncExternalStore } from 'react';
import { apiClient } from '../api/clients';
import { saveWorkout } from '../api/training';
import type { WorkoutIn } from '../api/trainingTypes';
import { useAuth } from '../auth/AuthContext';
import { flush, pending, subscribeOutbox, type FlushResult } from '../lib/outbox';

let snapshot = '';
function read(): string {
  const next = JSON.stringify(pending());
  if (next !== snapshot) snapshot = next;
  return snapshot;
}

/** The queue of finished workouts waiting for the API, and a way to send them now. */
export function useOutbox() {
  const { store, session } = useAuth();
  const raw = useSyncExternalStore(subscribeOutbox, read);
  const items = JSON.parse(raw || '[]') as ReturnType<typeof pending>;

  const send = useCallback((): Promise<FlushResult> => {
    return flush((workout: WorkoutIn) =>
      store.withToken((token) => saveWorkout(apiClient, token, workout)),
    );
  }, [store]);

  // Send what is waiting when signed in, when the connection returns, and every minute.
  useEffect(() => {
    if (!session) return undefined;
    const attempt = () => {
      if (pending().some((item) => !item.error)) send().catch(() => undefined);
    };
    attempt();
    window.addEventListener('online', attempt);
    const timer = window.setInterval(attempt, 60_000);
    return () => {
      window.removeEventListener('online', attempt);
      window.clearInterval(timer);
    };
  }, [session, send]);

  return { items, send };
}
