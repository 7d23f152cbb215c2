import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ProgressAnalysis, WorkoutRecommendation } from '../api/types';
import { installFakeFetch, json } from '../test/fakeApi';
import { renderWithSession } from '../test/render';
import { CoachPage } from '../pages/CoachPage';
import { AnalysisPanel } from './AnalysisPanel';
import { ChatPanel } from './ChatPanel';
import { RecommendPanel } from './RecommendPanel';

const ANALYSIS: ProgressAnalysis = {
  summary: 'Last 8 weeks: 6 workouts.',
  strengths: ['Regular pressing'],
  areas_to_improve: ['Legs'],
  recommendations: ['Add squats'],
  muscle_balance_score: 58.8,
  volume_by_muscle_group: [{ group: 'chest', exercises: 1, sets: 24, volume: 9000 }],
  training_log: {
    weeks: 8,
    period_start: '2026-01-12',
    period_end: '2026-03-04',
    week_starts: ['2026-01-12'],
    workouts: 6,
    workouts_per_week: 0.75,
    hard_sets: 48,
    target_sets_per_week: [10, 20],
    groups: [
      {
        group: 'chest',
        sets_per_week: [12],
        average: 12,
        sessions_per_week: 1.5,
        status: 'within',
        suggestion: null,
      },
      {
        group: 'legs',
        sets_per_week: [6],
        average: 6,
        sessions_per_week: 0.8,
        status: 'below',
        suggestion: 'Legs: add about 4 sets a week, e.g. Barbell Back Squat.',
      },
    ],
    records: [
      {
        exercise: 'Barbell Back Squat',
        kind: 'heaviest_weight',
        value: 102.5,
        achieved_at: '2026-03-02T18:00:00Z',
      },
    ],
    stalled_lifts: [
      {
        exercise: 'Barbell Bench Press',
        sessions: 3,
        first_e1rm: 93.3,
        best_since: 93.3,
        suggestion: 'Take one week at 90% of your working weight, then rebuild.',
      },
    ],
  },
};

const PLAN: WorkoutRecommendation = {
  title: 'Upper Day',
  description: 'From your log.',
  exercises: [{ name: 'Barbell Bench Press', sets: 3, reps: '5', muscle_group: 'chest' }],
  estimated_duration_minutes: 50,
  difficulty: 'intermediate',
  tips: [],
  based_on: {
    workouts: 6,
    since: '2026-01-07',
    exercises: ['Barbell Bench Press'],
    recovering_groups: ['legs', 'full_body'],
    progression_rule: 'Double progression: add reps before weight.',
    note: 'Your 6 workouts since 2026-01-07.',
  },
};

describe('the coach as the signed-in lifter', () => {
  it('chat sends the access token when signed in', async () => {
    const { calls } = installFakeFetch({
      'POST /ai-coach/chat': () => json({ response: 'Squat more.', context_used: true }),
    });
    renderWithSession(<ChatPanel />, 'user');
    const user = userEvent.setup();

    expect(screen.getByText('The coach answers from your own training log.')).toBeInTheDocument();
    await user.type(screen.getByLabelText('Your question'), 'Legs?');
    await user.click(screen.getByRole('button', { name: 'Send' }));

    expect(await screen.findByText('Squat more.')).toBeInTheDocument();
    expect(calls[0]?.headers.get('Authorization')).toBe('Bearer token-user');
  });

  it('chat sends no token when signed out and says answers are general advice', async () => {
    const { calls } = installFakeFetch({
      'POST /ai-coach/chat': () => json({ response: 'Sleep well.', context_used: false }),
    });
    renderWithSession(<ChatPanel />, null);
    const user = userEvent.setup();

    expect(screen.getByLabelText('Use my workout data')).toHaveAccessibleDescription(
      /answers are general advice/,
    );
    await user.type(screen.getByLabelText('Your question'), 'Recovery?');
    await user.click(screen.getByRole('button', { name: 'Send' }));

    expect(await screen.findByText('Sleep well.')).toBeInTheDocument();
    expect(calls[0]?.headers.has('Authorization')).toBe(false);
  });

  it('a plan from the log says what it is based on', async () => {
    const { calls } = installFakeFetch({ 'POST /ai-coach/recommend': () => json(PLAN) });
    renderWithSession(<RecommendPanel />, 'user');

    await userEvent.setup().click(screen.getByRole('button', { name: 'Recommend a workout' }));

    const basis = await screen.findByRole('region', { name: 'Based on your log' });
    expect(basis).toHaveTextContent('6 workouts read since 7 Jan 2026.');
    expect(basis).toHaveTextContent('Double progression: add reps before weight.');
    expect(basis).toHaveTextContent('Your 6 workouts since 2026-01-07.');
    expect(basis).toHaveTextContent('Left out to recover: Legs, Full body');
    expect(calls[0]?.headers.get('Authorization')).toBe('Bearer token-user');
  });

  it('a signed-out plan goes without a token and has no basis', async () => {
    const { calls } = installFakeFetch({
      'POST /ai-coach/recommend': () => json({ ...PLAN, based_on: null }),
    });
    renderWithSession(<RecommendPanel />, null);

    await userEvent.setup().click(screen.getByRole('button', { name: 'Recommend a workout' }));

    expect(await screen.findByRole('article', { name: 'Upper Day' })).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Based on your log' })).toBeNull();
    expect(calls[0]?.headers.has('Authorization')).toBe(false);
  });

  it("shows the analysis of the lifter's own log: groups against the target, records, stalls", async () => {
    const { calls } = installFakeFetch({ 'GET /ai-coach/analyze': () => json(ANALYSIS) });
    renderWithSession(<AnalysisPanel />, 'user');

    await userEvent.setup().click(screen.getByRole('button', { name: 'Analyse my training' }));

    const log = await screen.findByRole('region', { name: 'Your training log' });
    expect(log).toHaveTextContent('12 Jan – 4 Mar 2026');
    expect(log).toHaveTextContent('6 workouts (0.8 a week)');
    expect(log).toHaveTextContent('48 hard sets');
    const groups = within(log)
      .getAllByRole('listitem')
      .filter((item) => item.classList.contains('group-sets'));
    expect(groups).toHaveLength(2);
    expect(groups[0]).toHaveTextContent('Chest12 / 10–20');
    expect(groups[0]).toHaveTextContent('On target');
    expect(groups[1]).toHaveTextContent('6 / 10–20');
    expect(groups[1]).toHaveTextContent('Below target');
    expect(groups[1]).toHaveTextContent('Legs: add about 4 sets a week, e.g. Barbell Back Squat.');
    const records = within(log).getByRole('list', { name: 'Records in this period' });
    expect(records).toHaveTextContent('Barbell Back Squat · 2 MarHeaviest weight 102.5 kg');
    const stalled = within(log).getByRole('list', { name: 'Stalled lifts' });
    expect(stalled).toHaveTextContent('e1RM 93.3 kg, then at best 93.3 kg over 3 sessions');
    expect(stalled).toHaveTextContent('Take one week at 90% of your working weight');
    expect(calls[0]?.headers.get('Authorization')).toBe('Bearer token-user');
    expect(calls[0]?.url.searchParams.get('weeks')).toBe('8');
  });

  it('the weeks selector runs the analysis again for 12 weeks', async () => {
    const { calls } = installFakeFetch({ 'GET /ai-coach/analyze': () => json(ANALYSIS) });
    renderWithSession(<AnalysisPanel />, 'user');
    const user = userEvent.setup();

    await user.click(screen.getByRole('button', { name: 'Analyse my training' }));
    await screen.findByRole('region', { name: 'Your training log' });
    const twelve = within(screen.getByRole('group', { name: 'Period to analyse' })).getByRole(
      'button',
      { name: '12 weeks' },
    );
    await user.click(twelve);

    expect(twelve).toHaveAttribute('aria-pressed', 'true');
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]?.url.searchParams.get('weeks')).toBe('12');
    expect(calls[1]?.headers.get('Authorization')).toBe('Bearer token-user');
  });

  it('signed out, the analysis goes without a token and explains what signing in adds', async () => {
    const { calls } = installFakeFetch({
      'GET /ai-coach/analyze': () => json({ ...ANALYSIS, training_log: null }),
    });
    renderWithSession(<AnalysisPanel />, null);

    expect(
      screen.getByText(/Sign in to ground the analysis in your own training log/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('group', { name: 'Period to analyse' })).toBeNull();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Analyse my training' }));

    expect(await screen.findByText('Last 8 weeks: 6 workouts.')).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Your training log' })).toBeNull();
    expect(calls[0]?.headers.has('Authorization')).toBe(false);
  });

  it('signed in with no workouts in the period, says to log one or choose more weeks', async () => {
    installFakeFetch({
      'GET /ai-coach/analyze': () =>
        json(
          { detail: 'No workouts in the period to analyze. Log a workout, or ask for more weeks.' },
          400,
        ),
    });
    renderWithSession(<AnalysisPanel />, 'user');

    await userEvent.setup().click(screen.getByRole('button', { name: 'Analyse my training' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'No workouts in the last 8 weeks to analyse. Log a workout, or choose a longer period.',
    );
  });

  it("signing out clears the lifter's analysis from the page", async () => {
    installFakeFetch({ 'GET /ai-coach/analyze': () => json(ANALYSIS) });
    const { store } = renderWithSession(<CoachPage />, 'user');

    await userEvent.setup().click(screen.getByRole('button', { name: 'Analyse my training' }));
    await screen.findByRole('region', { name: 'Your training log' });
    act(() => store.signOut());

    expect(screen.queryByRole('region', { name: 'Your training log' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Analyse my training' })).toBeInTheDocument();
  });
});
