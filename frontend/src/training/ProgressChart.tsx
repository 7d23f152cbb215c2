import type { ProgressPoint, WeightUnit } from '../api/trainingTypes';
import { fromKg } from '../lib/units';

const WIDTH = 600;
const HEIGHT = 220;
const PAD = { left: 64, right: 16, top: 16, bottom: 36 };

/**
 * A line of e1RM by workout in plain SVG: a handful of points needs no charting library.
 * The table beside it carries the same numbers for screen readers and exact reading.
 */
export function ProgressChart({ points, unit }: { points: ProgressPoint[]; unit: WeightUnit }) {
  const values = points.map((point) => fromKg(point.value, unit));
  const low = Math.min(...values);
  const high = Math.max(...values);
  // One point, or a flat line, sits in the middle instead of on the axis.
  const margin = high === low ? Math.max(1, high * 0.05) : 0;
  const bottom = low - margin;
  const span = high - low + 2 * margin;
  const x = (index: number) =>
    PAD.left +
    (points.length === 1 ? 0.5 : index / (points.length - 1)) * (WIDTH - PAD.left - PAD.right);
  const y = (value: number) =>
    PAD.top + (1 - (value - bottom) / span) * (HEIGHT - PAD.top - PAD.bottom);
  const path = values
    .map((value, index) => `${index ? 'L' : 'M'}${x(index)},${y(value)}`)
    .join(' ');
  const first = points[0];
  const last = points[points.length - 1];
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      className="progress-chart"
      role="img"
      aria-label={`Estimated one-rep max from ${low} to ${high} ${unit} over ${points.length} workouts`}
    >
      <line
        x1={PAD.left}
        x2={WIDTH - PAD.right}
        y1={HEIGHT - PAD.bottom}
        y2={HEIGHT - PAD.bottom}
        className="axis"
      />
      <text x={PAD.left - 6} y={y(high) + 4} textAnchor="end" className="tick">
        {high}
      </text>
      <text x={PAD.left - 6} y={y(low) + 4} textAnchor="end" className="tick">
        {low}
      </text>
      {first ? (
        <text x={PAD.left} y={HEIGHT - 6} className="tick">
          {first.date}
        </text>
      ) : null}
      {last && last !== first ? (
        <text x={WIDTH - PAD.right} y={HEIGHT - 6} textAnchor="end" className="tick">
          {last.date}
        </text>
      ) : null}
      <path d={path} className="line" />
      {values.map((value, index) => (
        <circle
          key={points[index]?.workout_id ?? index}
          cx={x(index)}
          cy={y(value)}
          r={6}
          className="dot"
        />
      ))}
    </svg>
  );
}
