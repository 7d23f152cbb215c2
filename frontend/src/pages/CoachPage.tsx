import { AnalysisPanel } from '../components/AnalysisPanel';
import { ChatPanel } from '../components/ChatPanel';
import { RecommendPanel } from '../components/RecommendPanel';

export function CoachPage() {
  return (
    <section aria-labelledby="coach-heading">
      <div className="page-header">
        <h1 id="coach-heading" tabIndex={-1}>
          Coach
        </h1>
      </div>
      <div className="coach-grid">
        <ChatPanel />
        <RecommendPanel />
        <AnalysisPanel />
      </div>
    </section>
  );
}
