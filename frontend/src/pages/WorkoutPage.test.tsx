import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { SetOut, WorkoutIn } from '../api/trainingTypes';
import { installFakeFetch, json } from '../test/fakeApi';
import { renderWithSession } from '../test/render';
import WorkoutPage from './WorkoutPage';

const BENCH = {
  id: 1,
  name: 'Barbell Bench Press',
  type: 'weight_reps',
  primary_muscle: 'chest',
  secondary_muscles: [],
  equipment: 'barbell',
  aliases: ['Bench'],
  custom: false,
};

const LAST: SetOut = {
  position: 0,
  type: 'normal',
  weight_kg: 80,
  reps: 8,
  rpe: null,
  completed: true,
  duration_s: null,
  distance_m: null,
};

function routes() {
  return installFakeFetch({
    'GET /api/workouts': () => json({ page: 1, page_size: 5, total: 0, items: [] }),
    'GET /api/exercise-templates': () =>
      json({ page: 1, page_size: 100, total: 1, items: [BENCH] }),
    'GET /api/exercise-templates/1/history': () =>
      json({
        page: 1,
        page_size: 1,
        total: 1,
        items: [{ workout_id: 3, title: 'Push', started_at: '2026-12-01T07:00:00Z', sets: [LAST] }],
      }),
    'POST /api/workouts': (call) => {
      const body = call.body as WorkoutIn;
      return json(
        {
          id: 9,
          ...body,
          notes: null,
          source: 'manual',
          exercises: [
            {
              position: 0,
              template_id: 1,
              name: BENCH.name,
              notes: null,
              superset: null,
              sets: [],
            },
          ],
          records: [{ template_id: 1, kind: 'heaviest_weight', value: 85, previous_value: 80 }],
        },
        201,
      );
    },
  });
}

describe('WorkoutPage', () => {
  it('logs a set against last time, rests, and finishes to a summary with records', async () => {
    const { calls } = routes();
    const user = userEvent.setup();
    renderWithSession(<WorkoutPage />, 'user');

    await user.click(screen.getByRole('button', { name: 'Start workout' }));
    await user.click(screen.getByRole('button', { name: 'Add exercise' }));
    await user.type(screen.getByRole('searchbox', { name: 'Search exercises' }), 'bench');
    await user.click(await screen.findByRole('button', { name: /Barbell Bench Press/ }));

    const card = screen.getByRole('region', { name: 'Barbell Bench Press' });
    const row = within(card).getByRole('row', { name: 'Set 1' });
    expect(await within(row).findByText('80 kg × 8')).toBeInTheDocument();
    await user.type(within(row).getByLabelText('Weight'), '85');
    await user.type(within(row).getByLabelText('Reps'), '8');
    await user.click(within(row).getByLabelText('Done'));
    expect(screen.getByRole('timer')).toHaveTextContent('Rest 1:30');

    await user.click(within(card).getByRole('button', { name: 'Add set' }));
    const second = within(card).getByRole('row', { name: 'Set 2' });
    expect(within(second).getByLabelText('Weight')).toHaveValue('85');

    await user.click(screen.getByRole('button', { name: 'Finish workout' }));
    expect(await screen.findByRole('heading', { name: 'Workout complete' })).toBeInTheDocument();
    expect(screen.getByText('680 kg')).toBeInTheDocument();
    expect(screen.getByText(/Heaviest weight 85 kg/)).toBeInTheDocument();

    const post = calls.find((call) => call.method === 'POST');
    const body = post?.body as WorkoutIn;
    expect(body.client_id).toMatch(/^[0-9a-f-]{36}$/);
    // The unchecked copy has reps, so it is sent as not completed.
    expect(body.exercises[0]?.sets).toEqual([
      { type: 'normal', weight_kg: 85, reps: 8, rpe: null, completed: true },
      { type: 'normal', weight_kg: 85, reps: 8, rpe: null, completed: false },
    ]);
    expect(localStorage.getItem('workout-tracker.outbox')).toBeNull();
    expect(localStorage.getItem('workout-tracker.workout-draft')).toBeNull();
  });

  it('replaces a copied set value when the lifter taps it and types, on the number pad', async () => {
    routes();
    const user = userEvent.setup();
    renderWithSession(<WorkoutPage />, 'user');
    await user.click(screen.getByRole('button', { name: 'Start workout' }));
    await user.click(screen.getByRole('button', { name: 'Add exercise' }));
    await user.click(await screen.findByRole('button', { name: /Barbell Bench Press/ }));
    const card = screen.getByRole('region', { name: 'Barbell Bench Press' });
    const first = within(card).getByRole('row', { name: 'Set 1' });
    await user.type(within(first).getByLabelText('Weight'), '85');
    await user.type(within(first).getByLabelText('Reps'), '8');
    await user.click(within(card).getByRole('button', { name: 'Add set' }));

    const second = within(card).getByRole('row', { name: 'Set 2' });
    expect(within(second).getByLabelText('Weight')).toHaveAttribute('inputmode', 'decimal');
    expect(within(second).getByLabelText('Reps')).toHaveAttribute('inputmode', 'numeric');
    expect(within(second).getByLabelText('RPE')).toHaveAttribute('inputmode', 'decimal');
    await user.click(within(second).getByLabelText('Reps'));
    await user.keyboard('6');
    await user.click(within(second).getByLabelText('Weight'));
    await user.keyboard('87.5');

    expect(within(second).getByLabelText('Reps')).toHaveValue('6');
    expect(within(second).getByLabelText('Weight')).toHaveValue('87.5');
  });

  it('brings the workout in progress back after a reload', async () => {
    routes();
    const user = userEvent.setup();
    const first = renderWithSession(<WorkoutPage />, 'user');
    await user.click(screen.getByRole('button', { name: 'Start workout' }));
    await user.click(screen.getByRole('button', { name: 'Add exercise' }));
    await user.click(await screen.findByRole('button', { name: /Barbell Bench Press/ }));
    await user.type(screen.getByLabelText('Reps'), '12');
    first.unmount();

    renderWithSession(<WorkoutPage />, 'user');
    await waitFor(() => expect(screen.getByLabelText('Reps')).toHaveValue('12'));
  });

  it('opens the plate calculator for a barbell lift with the bar and plates from Settings', async () => {
    routes();
    localStorage.setItem(
      'workout-tracker.settings',
      JSON.stringify({
        unit: 'kg',
        restSeconds: 90,
        barbell: { kg: { bar: 15, plates: [20, 5] } },
      }),
    );
    const user = userEvent.setup();
    renderWithSession(<WorkoutPage />, 'user');
    await user.click(screen.getByRole('button', { name: 'Start workout' }));
    await user.click(screen.getByRole('button', { name: 'Add exercise' }));
    await user.click(await screen.findByRole('button', { name: /Barbell Bench Press/ }));
    const card = screen.getByRole('region', { name: 'Barbell Bench Press' });
    await user.type(within(card).getByLabelText('Weight'), '65');
    await user.click(within(card).getByRole('button', { name: 'Plates' }));
    expect(within(card).getByRole('list', { name: 'Each side' })).toHaveTextContent(
      '1 × 20 kg1 × 5 kg',
    );
    expect(within(card).getByText(/Bar 15 kg/)).toBeInTheDocument();
  });

  it('asks before discarding', async () => {
    routes();
    const user = userEvent.setup();
    renderWithSession(<WorkoutPage />, 'user');
    await user.click(screen.getByRole('button', { name: 'Start workout' }));
    await user.click(screen.getByRole('button', { name: 'Discard workout' }));
    await user.click(screen.getByRole('button', { name: 'Discard' }));
    expect(await screen.findByRole('button', { name: 'Start workout' })).toBeInTheDocument();
  });
});
