import { useEffect, useState } from 'react';
import { coachHealth } from '../api/coach';
import { coachClient } from '../api/clients';
import type { CoachHealth } from '../api/types';

export const STATUS_POLL_MS = 30_000;

type State =
  { kind: 'checking' } | { kind: 'answered'; health: CoachHealth } | { kind: 'unreachable' };

export function describeCoach(state: State): {
  tone: 'ok' | 'warn' | 'down' | 'unknown';
  text: string;
  details: string;
} {
  if (state.kind === 'checking') return { tone: 'unknown', text: 'Coach: checking…', details: '' };
  if (state.kind === 'unreachable') {
    return { tone: 'down', text: 'Coach: offline', details: 'The AI coach does not answer.' };
  }
  const { health } = state;
  const details = [
    `model ${health.ai_model}`,
    `workout data ${health.workout_api_connected ? 'reachable' : 'unreachable'}`,
    `cache ${health.redis_connected ? 'reachable' : 'unreachable'}`,
  ].join(', ');
  if (health.status === 'healthy') return { tone: 'ok', text: 'Coach: ready', details };
  return { tone: 'warn', text: `Coach: ${health.status}`, details };
}

/** A small indicator in the header, fed by the coach's /health. */
export function CoachStatus() {
  const [state, setState] = useState<State>({ kind: 'checking' });

  useEffect(() => {
    const controller = new AbortController();
    const check = () =>
      coachHealth(coachClient, controller.signal)
        .then((health) => setState({ kind: 'answered', health }))
        .catch(() => {
          if (!controller.signal.aborted) setState({ kind: 'unreachable' });
        });
    void check();
    const timer = window.setInterval(check, STATUS_POLL_MS);
    return () => {
      controller.abort();
      window.clearInterval(timer);
    };
  }, []);

  const { tone, text, details } = describeCoach(state);
  return (
    <p
      className={`coach-status coach-status-${tone}`}
      role="status"
      title={details}
      data-testid="coach-status"
    >
      <span className="dot" aria-hidden="true" />
      <span className="coach-status-text">{text}</span>
      {details ? <span className="visually-hidden"> ({details})</span> : null}
    </p>
  );
}
