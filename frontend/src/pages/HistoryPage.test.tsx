import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Stats, Workout, WorkoutSummary } from '../api/trainingTypes';
import { dayKey, dayLabel } from '../lib/calendar';
import { installFakeFetch, json } from '../test/fakeApi';
import { renderWithSession } from '../test/render';
import HistoryPage from './HistoryPage';

// The page's "today" and these dates come from one fixed clock (a Wednesday at 00:30 UTC, just
// after midnight): the answers do not depend on the day or hour the tests run.
const NOW = new Date('2026-03-04T00:30:00Z');
beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterAll(() => {
  vi.useRealTimers();
});

function daysAgo(days: number, hour = 10): string {
  const date = new Date(NOW);
  date.setUTCDate(date.getUTCDate() - days);
  date.setUTCHours(hour, 0, 0, 0);
  return date.toISOString();
}

function summary(id: number, title: string, startedAt: string): WorkoutSummary {
  return {
    id,
    title,
    started_at: startedAt,
    ended_at: null,
    duration_s: null,
    exercise_count: 1,
    set_count: 3,
    volume_kg: 1200,
    record_count: 0,
    exercises: [{ template_id: 1, name: 'Barbell Bench Press', set_count: 3 }],
  };
}

const PUSH = summary(1, 'Push day', daysAgo(2));
const PULL = summary(2, 'Pull day', daysAgo(5));

const STATS: Stats = {
  workouts: 2,
  sets: 6,
  volume_kg: 2400,
  duration_s: 0,
  weekly: [],
  by_muscle: [
    { muscle: 'chest', sets: 8, volume_kg: 3200 },
    { muscle: 'upper_back', sets: 4, volume_kg: 1000 },
  ],
  streak_weeks: 3,
};

const WORKOUT: Workout = {
  id: 1,
  title: 'Push day',
  notes: null,
  started_at: PUSH.started_at,
  ended_at: null,
  source: 'manual',
  client_id: null,
  created_at: PUSH.started_at,
  updated_at: PUSH.started_at,
  exercises: [],
  records: [],
} as unknown as Workout;

function listRoutes() {
  return installFakeFetch({
    'GET /api/workouts': (call) =>
      call.url.searchParams.get('from')
        ? json({ page: 1, page_size: 100, total: 2, items: [PUSH, PULL] })
        : json({ page: 1, page_size: 20, total: 2, items: [PUSH, PULL] }),
    'GET /api/stats': () => json(STATS),
  });
}

describe('history calendar and overview', { timeout: 20_000 }, () => {
  it('fills the days trained, and choosing one lists only its workouts', async () => {
    const { calls } = listRoutes();
    renderWithSession(<HistoryPage workoutId={null} />, 'user');
    const grid = await screen.findByRole('grid', { name: 'Training days, last 12 months' });
    const pushDay = dayKey(new Date(PUSH.started_at));
    // Role queries over 371 buttons are slow in happy-dom; the day's data attribute is not.
    const day = (key: string) => grid.querySelector<HTMLButtonElement>(`[data-day="${key}"]`)!;
    await waitFor(() => expect(day(pushDay)).toHaveAccessibleName(dayLabel(pushDay, 1)));
    const button = day(pushDay);
    expect(button).toHaveClass('trained');
    const today = day(dayKey(NOW));
    expect(today).toHaveAccessibleName(/today: no workouts$/);
    expect(today).toHaveClass('today');
    expect(screen.getByText('2 days trained in the last 12 months')).toBeInTheDocument();

    const yearCall = calls.find((call) => call.url.searchParams.get('page_size') === '100')!;
    expect(yearCall.url.searchParams.get('to')).toBe(dayKey(new Date(Date.now() + 86_400_000)));

    await userEvent.click(button);
    expect(await screen.findByRole('heading', { name: /^Workouts on / })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Push day' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Pull day' })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Show all workouts' }));
    expect(screen.getByRole('link', { name: 'Pull day' })).toBeInTheDocument();
  });

  it('moves between days with the arrow keys, one tab stop for the grid', async () => {
    listRoutes();
    renderWithSession(<HistoryPage workoutId={null} />, 'user');
    const grid = await screen.findByRole('grid');
    const today = grid.querySelector<HTMLButtonElement>(`[data-day="${dayKey(NOW)}"]`)!;
    expect(today).toHaveAttribute('tabindex', '0');
    today.focus();
    await userEvent.keyboard('{ArrowUp}');
    const yesterday = dayKey(new Date(Date.now() - 86_400_000));
    expect(document.activeElement).toHaveAttribute('data-day', yesterday);
    expect(grid.querySelectorAll('button[tabindex="0"]')).toHaveLength(1);
  });

  it('shows the streak and hard sets by muscle over four weeks', async () => {
    const { calls } = listRoutes();
    renderWithSession(<HistoryPage workoutId={null} />, 'user');
    const overview = await screen.findByRole('region', { name: 'Last 4 weeks' });
    expect(overview).toHaveTextContent('3 weeks in a row with a workout');
    const bars = within(overview).getByRole('list', { name: 'Hard sets by muscle' });
    const items = within(bars).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('Chest8 sets, 2 a week');
    expect(items[1]).toHaveTextContent('Upper back4 sets, 1 a week');
    const from = calls.find((call) => call.url.pathname === '/api/stats')!.url.searchParams;
    expect(new Date(`${from.get('from')}T00:00:00Z`).getUTCDay()).toBe(1);
  });

  it('says so when the calendar cannot be read, instead of showing an empty year', async () => {
    installFakeFetch({
      'GET /api/workouts': (call) =>
        call.url.searchParams.get('from')
          ? json({ detail: 'down' }, 503)
          : json({ page: 1, page_size: 20, total: 1, items: [PUSH] }),
      'GET /api/stats': () => json(STATS),
    });
    renderWithSession(<HistoryPage workoutId={null} />, 'user');
    expect(await screen.findByText(/^The calendar could not be loaded\./)).toBeInTheDocument();
    expect(screen.queryByRole('grid')).not.toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'Push day' })).toBeInTheDocument();
  });
});

describe('editing a logged workout', () => {
  it('saves title and notes with PATCH', async () => {
    const { calls } = installFakeFetch({
      'GET /api/workouts/1': () => json(WORKOUT),
      'PATCH /api/workouts/1': (call) => json({ ...WORKOUT, ...(call.body as object) }),
    });
    renderWithSession(<HistoryPage workoutId={1} />, 'user');
    await userEvent.click(await screen.findByRole('button', { name: 'Edit details' }));
    const title = screen.getByLabelText('Title');
    await userEvent.clear(title);
    await userEvent.type(title, 'Heavy push');
    await userEvent.type(screen.getByLabelText('Notes'), 'Felt strong');
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Heavy push' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Felt strong')).toBeInTheDocument();
    expect(screen.getByText('Changes saved.')).toBeInTheDocument();
    const patch = calls.find((call) => call.method === 'PATCH')!;
    expect(patch.body).toMatchObject({
      title: 'Heavy push',
      notes: 'Felt strong',
      started_at: new Date(PUSH.started_at).toISOString(),
    });
  });

  it('keeps everything typed and says why when the save fails', async () => {
    installFakeFetch({
      'GET /api/workouts/1': () => json(WORKOUT),
      'PATCH /api/workouts/1': () => json({ detail: 'boom' }, 500),
    });
    renderWithSession(<HistoryPage workoutId={1} />, 'user');
    await userEvent.click(await screen.findByRole('button', { name: 'Edit details' }));
    await userEvent.type(screen.getByLabelText('Notes'), 'Keep me');
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/^Not saved:/);
    expect(screen.getByLabelText('Notes')).toHaveValue('Keep me');
    expect(screen.getByRole('button', { name: 'Save changes' })).toBeEnabled();
  });

  it('refuses an end before the start without calling the API', async () => {
    const { calls } = installFakeFetch({ 'GET /api/workouts/1': () => json(WORKOUT) });
    renderWithSession(<HistoryPage workoutId={1} />, 'user');
    await userEvent.click(await screen.findByRole('button', { name: 'Edit details' }));
    const start = screen.getByLabelText('Started') as HTMLInputElement;
    const end = screen.getByLabelText('Ended');
    await userEvent.type(end, start.value.replace(/T\d\d/, 'T00'));
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent(
        /cannot end before it started|valid time/,
      ),
    );
    expect(calls.some((call) => call.method === 'PATCH')).toBe(false);
  });

  it('changes a set and saves the whole workout with PUT, keeping it all on a failure', async () => {
    const withSets = {
      ...WORKOUT,
      exercises: [
        {
          position: 0,
          template_id: 1,
          name: 'Barbell Bench Press',
          notes: null,
          superset: null,
          sets: [
            {
              position: 0,
              type: 'normal',
              weight_kg: 80,
              reps: 5,
              rpe: null,
              duration_s: null,
              distance_m: null,
              completed: true,
            },
          ],
        },
      ],
    } as Workout;
    let fail = true;
    const { calls } = installFakeFetch({
      'GET /api/workouts/1': () => json(withSets),
      'PUT /api/workouts/1': () => (fail ? json({ detail: 'down' }, 503) : json(withSets)),
    });
    renderWithSession(<HistoryPage workoutId={1} />, 'user');
    await userEvent.click(await screen.findByRole('button', { name: 'Edit sets' }));
    const reps = screen.getByLabelText('Barbell Bench Press, set 1: Reps');
    await userEvent.clear(reps);
    await userEvent.type(reps, '6');
    await userEvent.click(screen.getByRole('button', { name: 'Add set to Barbell Bench Press' }));
    await userEvent.click(screen.getByRole('button', { name: 'Save sets' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/^Not saved:/);
    expect(screen.getByLabelText('Barbell Bench Press, set 1: Reps')).toHaveValue('6');
    expect(screen.getByLabelText('Barbell Bench Press, set 2: Reps')).toHaveValue('6');
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Save sets' }));
    expect(await screen.findByText('Changes saved.')).toBeInTheDocument();
    const put = calls.filter((call) => call.method === 'PUT').at(-1)!;
    expect(put.body).toMatchObject({
      title: 'Push day',
      exercises: [
        {
          template_id: 1,
          sets: [
            { weight_kg: 80, reps: 6 },
            { weight_kg: 80, reps: 6 },
          ],
        },
      ],
    });
  });

  it('deletes after a confirmation', async () => {
    const { calls } = installFakeFetch({
      'GET /api/workouts/1': () => json(WORKOUT),
      'DELETE /api/workouts/1': () => json(null, 204),
    });
    renderWithSession(<HistoryPage workoutId={1} />, 'user');
    await userEvent.click(await screen.findByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete this workout?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(calls.some((call) => call.method === 'DELETE')).toBe(true));
    await waitFor(() => expect(window.location.pathname).toBe('/history'));
  });
});
