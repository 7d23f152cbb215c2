import { useAuth } from '../auth/AuthContext';
import { AnalysisPanel } from '../components/AnalysisPanel';
import { ChatPanel } from '../components/ChatPanel';
import { RecommendPanel } from '../components/RecommendPanel';

export function CoachPage() {
  const { session } = useAuth();
  // One lifter's answers are never left on screen for the next one (or after signing out).
  const lifter = session?.user.username ?? '';
  return (
    <section aria-labelledby="coach-heading">
      <div className="page-header">
        <h1 id="coach-heading" tabIndex={-1}>
          Coach
        </h1>
      </div>
      <div className="coach-grid">
        <ChatPanel key={`chat-${lifter}`} />
        <RecommendPanel key={`plan-${lifter}`} />
        <AnalysisPanel key={`analysis-${lifter}`} />
      </div>
    </section>
  );
}
