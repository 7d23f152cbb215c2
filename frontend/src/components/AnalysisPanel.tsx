import { useRef, useState } from 'react';
import { analyze } from '../api/coach';
import { coachClient } from '../api/clients';
import { ApiError, errorMessage } from '../api/errors';
import type { ProgressAnalysis } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { COACH_TIMEOUT_MS } from '../config';
import { asLifter } from '../lib/asLifter';
import { loadSettings } from '../lib/settings';
import { ANALYSIS_WEEKS, DEFAULT_ANALYSIS_WEEKS } from '../lib/trainingLog';
import { BalanceGauge } from './BalanceGauge';
import { Busy } from './Busy';
import { ErrorAlert } from './ErrorAlert';
import { TrainingLogView } from './TrainingLogView';
import { VolumeChart } from './VolumeChart';

function analysisFailure(error: unknown, signedIn: boolean, weeks: number): string {
  if (error instanceof ApiError && error.status === 400) {
    return signedIn
      ? `No workouts in the last ${weeks} weeks to analyse. Log a workout, or choose a longer period.`
      : `There is nothing to analyse yet: add some exercises first${error.detail ? ` (${error.detail})` : ''}.`;
  }
  if (error instanceof ApiError && error.status === 503) {
    return 'The coach cannot reach your workout data right now. Please try again shortly.';
  }
  return errorMessage(error);
}

function ListSection({ title, items }: { title: string; items: string[] }) {
  return (
    <section className="analysis-list">
      <h3>{title}</h3>
      {items.length > 0 ? (
        <ul>
          {items.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      ) : (
        <p className="hint">Nothing here.</p>
      )}
    </section>
  );
}

export function AnalysisPanel() {
  const { store, session } = useAuth();
  const [analysis, setAnalysis] = useState<ProgressAnalysis | null>(null);
  const [weeks, setWeeks] = useState<number>(DEFAULT_ANALYSIS_WEEKS);
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  // Only the answer to the latest request is shown, whatever order the answers arrive in.
  const latest = useRef(0);
  const signedIn = session !== null;

  async function run(period: number) {
    const request = ++latest.current;
    setPending(true);
    setFailure(null);
    try {
      const answer = await asLifter(store, signedIn, (token) =>
        analyze(coachClient, token, period),
      );
      if (request === latest.current) setAnalysis(answer);
    } catch (error) {
      if (request === latest.current) setFailure(analysisFailure(error, signedIn, period));
    } finally {
      if (request === latest.current) setPending(false);
    }
  }

  function choose(period: number) {
    setWeeks(period);
    if (analysis || failure) void run(period);
  }

  const log = analysis?.training_log ?? null;
  return (
    <section className="card" aria-labelledby="analysis-heading">
      <h2 id="analysis-heading">Analyse my progress</h2>
      <p className="hint">
        {signedIn
          ? 'The coach reads your own training log: hard sets per muscle group, records and lifts that have stalled.'
          : 'The coach reviews the shared exercise list. Sign in to ground the analysis in your own training log: hard sets per muscle group, records and stalled lifts.'}
      </p>
      {signedIn ? (
        <div className="weeks-choice" role="group" aria-label="Period to analyse">
          {ANALYSIS_WEEKS.map((period) => (
            <button
              key={period}
              type="button"
              aria-pressed={weeks === period}
              onClick={() => choose(period)}
            >
              {period} weeks
            </button>
          ))}
        </div>
      ) : null}
      <div className="actions">
        <button
          type="button"
          className="primary"
          onClick={() => void run(weeks)}
          disabled={pending}
        >
          {analysis ? 'Analyse again' : 'Analyse my training'}
        </button>
      </div>
      <ErrorAlert message={failure} />
      <Busy
        active={pending}
        label="Analysing your training"
        limitSeconds={COACH_TIMEOUT_MS / 1000}
      />
      {analysis ? (
        <div className="analysis">
          <p className="summary">{analysis.summary}</p>
          {log ? <TrainingLogView log={log} unit={loadSettings().unit} /> : null}
          <div className="analysis-charts">
            <BalanceGauge score={analysis.muscle_balance_score ?? null} />
            {analysis.volume_by_muscle_group ? (
              <VolumeChart groups={analysis.volume_by_muscle_group} />
            ) : null}
          </div>
          <div className="analysis-lists">
            <ListSection title="Strengths" items={analysis.strengths} />
            <ListSection title="Areas to improve" items={analysis.areas_to_improve} />
            <ListSection title="Recommendations" items={analysis.recommendations} />
          </div>
        </div>
      ) : null}
    </section>
  );
}
