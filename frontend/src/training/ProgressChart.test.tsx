import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ProgressChart } from './ProgressChart';

const POINTS = [
  { date: '2026-11-02', value: 70, workout_id: 1 },
  { date: '2026-11-09', value: 72.5, workout_id: 2 },
  { date: '2026-11-16', value: 76, workout_id: 3 },
];

describe('ProgressChart', () => {
  it('draws a dot per point, named by its date and value, and says what it shows', () => {
    const { container } = render(<ProgressChart points={POINTS} unit="kg" />);

    const chart = screen.getByRole('img', {
      name: 'Estimated one-rep max from 70 to 76 kg over 3 workouts',
    });
    expect([...chart.querySelectorAll('.dot title')].map((title) => title.textContent)).toEqual([
      '2026-11-02: 70 kg',
      '2026-11-09: 72.5 kg',
      '2026-11-16: 76 kg',
    ]);
    // Higher values sit higher: SVG's y grows downwards.
    const heights = [...container.querySelectorAll('.dot')].map((dot) =>
      Number(dot.getAttribute('cy')),
    );
    expect(heights[0]).toBeGreaterThan(heights[1]!);
    expect(heights[1]).toBeGreaterThan(heights[2]!);
    // The axes are text: the first and last dates, and weights in between.
    const labels = [...container.querySelectorAll('text')].map((text) => text.textContent);
    expect(labels).toEqual(expect.arrayContaining(['2026-11-02', '2026-11-16', '72']));
  });

  it('shows pounds in pounds', () => {
    render(
      <ProgressChart points={[{ date: '2026-11-02', value: 100, workout_id: 1 }]} unit="lb" />,
    );

    expect(
      screen.getByRole('img', {
        name: 'Estimated one-rep max from 220.46 to 220.46 lb over 1 workouts',
      }),
    ).toBeInTheDocument();
    expect(document.querySelector('.dot title')?.textContent).toBe('2026-11-02: 220.5 lb');
  });
});
