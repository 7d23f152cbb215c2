/** A half-circle gauge for the coach's 0–100 muscle balance score. */

export function balanceVerdict(score: number): string {
  if (score >= 75) return 'Well balanced';
  if (score >= 50) return 'Fairly balanced';
  if (score >= 25) return 'Unbalanced';
  return 'Very unbalanced';
}

export function BalanceGauge({ score }: { score: number | null }) {
  if (score === null) {
    return <p className="hint">No balance score: the coach could not rate your routine.</p>;
  }
  const value = Math.max(0, Math.min(100, score));
  const radius = 80;
  const length = Math.PI * radius;
  const color = value >= 75 ? '#15803d' : value >= 50 ? '#ca8a04' : '#dc2626';
  return (
    <figure className="gauge">
      <div
        role="meter"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(value)}
        aria-valuetext={`${Math.round(value)} out of 100, ${balanceVerdict(value).toLowerCase()}`}
        aria-label="Muscle balance score"
      >
        <svg viewBox="0 0 200 115" width="200" height="115" aria-hidden="true">
          <path
            d="M 20 100 A 80 80 0 0 1 180 100"
            fill="none"
            stroke="#e5e7eb"
            strokeWidth="18"
            strokeLinecap="round"
          />
          <path
            d="M 20 100 A 80 80 0 0 1 180 100"
            fill="none"
            stroke={color}
            strokeWidth="18"
            strokeLinecap="round"
            strokeDasharray={`${(value / 100) * length} ${length}`}
          />
          <text
            x="100"
            y="92"
            textAnchor="middle"
            fontSize="30"
            fontWeight="700"
            fill="currentColor"
          >
            {Math.round(value)}
          </text>
          <text x="100" y="111" textAnchor="middle" fontSize="11" fill="currentColor">
            of 100
          </text>
        </svg>
      </div>
      <figcaption>Muscle balance: {balanceVerdict(value)}</figcaption>
    </figure>
  );
}
