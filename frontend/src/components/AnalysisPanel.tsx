import { useState } from 'react';
import { analyze } from '../api/coach';
import { coachClient } from '../api/clients';
import { ApiError, errorMessage } from '../api/errors';
import type { ProgressAnalysis } from '../api/types';
import { COACH_TIMEOUT_MS } from '../config';
import { BalanceGauge } from './BalanceGauge';
import { Busy } from './Busy';
import { ErrorAlert } from './ErrorAlert';
import { VolumeChart } from './VolumeChart';

function analysisFailure(error: unknown): string {
  if (error instanceof ApiError && error.status === 400) {
    return `There is nothing to analyse yet: add some exercises first${error.detail ? ` (${error.detail})` : ''}.`;
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
  const [analysis, setAnalysis] = useState<ProgressAnalysis | null>(null);
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function run() {
    setPending(true);
    setFailure(null);
    try {
      setAnalysis(await analyze(coachClient));
    } catch (error) {
      setFailure(analysisFailure(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="card" aria-labelledby="analysis-heading">
      <h2 id="analysis-heading">Analyse my progress</h2>
      <p className="hint">
        The coach reviews all your exercises: balance, strengths and what to work on.
      </p>
      <div className="actions">
        <button type="button" className="primary" onClick={run} disabled={pending}>
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
