import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { installFakeFetch, json } from '../test/fakeApi';
import { renderWithSession } from '../test/render';
import { AnalysisPanel } from '../components/AnalysisPanel';
import { ChatPanel } from '../components/ChatPanel';
import { CoachStatus } from '../components/CoachStatus';
import { RecommendPanel } from '../components/RecommendPanel';

describe('Coach', () => {
  it('sends the question with the workout-data toggle and shows the answer', async () => {
    const { calls } = installFakeFetch({
      'POST /ai-coach/chat': () =>
        json({ response: 'Try **paused reps**.\n\n- Slow down\n- Brace', context_used: false }),
    });
    renderWithSession(<ChatPanel />, null);
    const user = userEvent.setup();

    await user.type(screen.getByLabelText('Your question'), 'How do I bench more?');
    await user.click(screen.getByLabelText('Use my workout data'));
    await user.click(screen.getByRole('button', { name: 'Send' }));

    const log = screen.getByRole('list', { name: 'Conversation' });
    expect(await within(log).findByText('paused reps')).toBeInTheDocument();
    expect(within(log).getByText('Brace')).toBeInTheDocument();
    expect(calls[0]?.body).toEqual({
      message: 'How do I bench more?',
      include_workout_context: false,
    });
    expect(calls[0]?.headers.get('X-Trace-Id')).toBe('ui-react');
    expect(screen.getByLabelText('Your question')).toHaveValue('');
  });

  it('keeps the question when the coach fails', async () => {
    installFakeFetch({
      'POST /ai-coach/chat': () =>
        json({ detail: 'Failed to get response from AI coach. Please try again.' }, 500),
    });
    renderWithSession(<ChatPanel />, null);
    const user = userEvent.setup();

    await user.type(screen.getByLabelText('Your question'), 'Plan my week');
    await user.click(screen.getByRole('button', { name: 'Send' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The AI coach had a problem (HTTP 500)',
    );
    expect(screen.getByLabelText('Your question')).toHaveValue('Plan my week');
  });

  it('asks for a plan with focus, equipment and duration and renders it readably', async () => {
    const { calls } = installFakeFetch({
      'POST /ai-coach/recommend': () =>
        json({
          title: 'Leg Day',
          description: 'Heavy lower body.',
          exercises: [
            {
              name: 'Back Squat',
              sets: 5,
              reps: '5',
              weight_suggestion: '80% 1RM',
              notes: 'Brace hard.',
              muscle_group: 'legs',
            },
          ],
          estimated_duration_minutes: 45,
          difficulty: 'intermediate',
          tips: ['Warm up first'],
        }),
    });
    renderWithSession(<RecommendPanel />, null);
    const user = userEvent.setup();

    await user.selectOptions(screen.getByLabelText('Focus area'), 'legs');
    await user.click(screen.getByLabelText('Cables'));
    await user.click(screen.getByLabelText('Kettlebells'));
    await user.clear(screen.getByLabelText('Session length (minutes)'));
    await user.type(screen.getByLabelText('Session length (minutes)'), '45');
    await user.click(screen.getByRole('button', { name: 'Recommend a workout' }));

    const plan = await screen.findByRole('article', { name: 'Leg Day' });
    expect(within(plan).getByText('Back Squat')).toBeInTheDocument();
    expect(within(plan).getByText('5 × 5')).toBeInTheDocument();
    expect(within(plan).getByText('Warm up first')).toBeInTheDocument();
    expect(calls[0]?.body).toEqual({
      focus_area: 'legs',
      equipment_available: ['barbell', 'dumbbells', 'bodyweight', 'kettlebells'],
      session_duration_minutes: 45,
    });
  });

  it('refuses a session length outside 15–180 minutes without calling the coach', async () => {
    const { calls } = installFakeFetch({});
    renderWithSession(<RecommendPanel />, null);
    const user = userEvent.setup();

    await user.clear(screen.getByLabelText('Session length (minutes)'));
    await user.type(screen.getByLabelText('Session length (minutes)'), '200');
    await user.click(screen.getByRole('button', { name: 'Recommend a workout' }));

    expect(screen.getByRole('alert')).toHaveTextContent('from 15 to 180');
    expect(calls).toHaveLength(0);
  });

  it("shows the analysis with a balance gauge and the coach's volume per muscle group", async () => {
    const { calls } = installFakeFetch({
      'GET /ai-coach/analyze': () =>
        json({
          summary: 'Solid base.',
          strengths: ['Consistent pressing'],
          areas_to_improve: ['More pulling'],
          recommendations: ['Add rows'],
          muscle_balance_score: 62.4,
          volume_by_muscle_group: [
            { group: 'chest', exercises: 2, sets: 7, volume: 3460 },
            { group: 'legs', exercises: 1, sets: 5, volume: 2500 },
            { group: 'full_body', exercises: 1, sets: 3, volume: 0 },
          ],
        }),
    });
    renderWithSession(<AnalysisPanel />, null);

    await userEvent.setup().click(screen.getByRole('button', { name: 'Analyse my training' }));

    expect(await screen.findByText('Solid base.')).toBeInTheDocument();
    expect(screen.getByRole('meter', { name: 'Muscle balance score' })).toHaveAttribute(
      'aria-valuenow',
      '62',
    );
    expect(screen.getByText('Muscle balance: Fairly balanced')).toBeInTheDocument();
    const rows = within(screen.getByRole('table')).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.textContent)).toEqual([
      'Chest3,460 kg7 sets',
      'Legs2,500 kg5 sets',
      'Full body0 kg3 sets',
    ]);
    expect(screen.getByText('More pulling')).toBeInTheDocument();
    // The coach groups the exercises: the web app does not read the log to chart it.
    expect(calls.map((call) => `${call.method} ${call.url.pathname}`)).toEqual([
      'GET /ai-coach/analyze',
    ]);
  });

  it('explains an analysis of an empty log', async () => {
    installFakeFetch({
      'GET /ai-coach/analyze': () => json({ detail: 'No exercises to analyse' }, 400),
    });
    renderWithSession(<AnalysisPanel />, null);

    await userEvent.setup().click(screen.getByRole('button', { name: 'Analyse my training' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('add some exercises first');
  });

  it('shows the coach status from its health check', async () => {
    installFakeFetch({
      'GET /ai-coach/health': () =>
        json({
          status: 'degraded',
          service: 'ai-coach',
          ai_model: 'offline',
          workout_api_connected: false,
          redis_connected: true,
        }),
    });
    render(<CoachStatus />);

    expect(await screen.findByText('Coach: degraded')).toBeInTheDocument();
    expect(screen.getByTestId('coach-status')).toHaveAttribute(
      'title',
      expect.stringContaining('workout data unreachable'),
    );
  });

  it('shows the coach as offline when it does not answer', async () => {
    installFakeFetch({
      'GET /ai-coach/health': () => Promise.reject(new TypeError('Failed to fetch')),
    });
    render(<CoachStatus />);

    expect(await screen.findByText('Coach: offline')).toBeInTheDocument();
  });
});
