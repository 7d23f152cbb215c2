import { AxisBottom, AxisLeft } from '@visx/axis';
import { Group } from '@visx/group';
import { scaleLinear } from '@visx/scale';
import { LinePath } from '@visx/shape';
import type { ProgressPoint, WeightUnit } from '../api/trainingTypes';
import { formatWeight, fromKg } from '../lib/units';

const WIDTH = 600;
const HEIGHT = 220;
const PAD = { left: 64, right: 24, top: 16, bottom: 36 };
const INNER_WIDTH = WIDTH - PAD.left - PAD.right;
const INNER_HEIGHT = HEIGHT - PAD.top - PAD.bottom;
const TICK_LABEL = { className: 'tick' } as const;

/**
 * A line of e1RM by workout, drawn with visx into SVG: its axes are text a screen reader and
 * the page's styles reach, and each point names its date and value. The table beside it
 * carries the same numbers for exact reading.
 */
export function ProgressChart({ points, unit }: { points: ProgressPoint[]; unit: WeightUnit }) {
  const values = points.map((point) => fromKg(point.value, unit));
  const low = Math.min(...values);
  const high = Math.max(...values);
  // One point, or a flat line, sits in the middle instead of on the axis.
  const margin = high === low ? Math.max(1, high * 0.05) : 0;
  const y = scaleLinear<number>({
    domain: [low - margin, high + margin],
    range: [INNER_HEIGHT, 0],
    nice: true,
  });
  const x = scaleLinear<number>({
    domain: points.length === 1 ? [-1, 1] : [0, points.length - 1],
    range: [0, INNER_WIDTH],
  });
  const first = points[0];
  const last = points[points.length - 1];
  const dates = [first, last].filter((point, index) => point && (index === 0 || last !== first));
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      className="progress-chart"
      role="img"
      aria-label={`Estimated one-rep max from ${low} to ${high} ${unit} over ${points.length} workouts`}
    >
      <Group left={PAD.left} top={PAD.top}>
        <AxisLeft
          scale={y}
          numTicks={4}
          tickFormat={(value) => Number(value).toLocaleString('en', { maximumFractionDigits: 1 })}
          axisLineClassName="axis"
          tickClassName="tick-mark"
          tickLabelProps={TICK_LABEL}
          hideTicks
        />
        <AxisBottom
          top={INNER_HEIGHT}
          scale={x}
          tickValues={dates.map((point) => points.indexOf(point!))}
          tickFormat={(index) => points[Number(index)]?.date ?? ''}
          axisLineClassName="axis"
          tickLabelProps={(_, index) => ({
            ...TICK_LABEL,
            textAnchor: dates.length === 1 ? 'middle' : index === 0 ? 'start' : 'end',
          })}
          hideTicks
        />
        <LinePath
          data={values}
          x={(_, index) => x(points.length === 1 ? 0 : index)}
          y={(value) => y(value)}
          className="line"
        />
        {values.map((value, index) => (
          <circle
            key={points[index]?.workout_id ?? index}
            cx={x(points.length === 1 ? 0 : index)}
            cy={y(value)}
            r={6}
            className="dot"
          >
            <title>{`${points[index]?.date}: ${formatWeight(points[index]?.value ?? 0, unit)}`}</title>
          </circle>
        ))}
      </Group>
    </svg>
  );
}
