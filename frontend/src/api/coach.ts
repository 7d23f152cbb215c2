import type { HttpClient } from './http';
import type {
  ChatReply,
  CoachHealth,
  ProgressAnalysis,
  RecommendationRequest,
  WorkoutRecommendation,
} from './types';

/**
 * The coaching calls take the lifter's access token, or null when signed out: with a token
 * the coach answers from the lifter's own training log, without one it gives general advice.
 */
function auth(token: string | null, signal?: AbortSignal) {
  return { ...(token ? { token } : {}), ...(signal ? { signal } : {}) };
}

export async function coachHealth(http: HttpClient, signal?: AbortSignal): Promise<CoachHealth> {
  const { body } = await http.request('/health', signal ? { signal } : {});
  return body as CoachHealth;
}

export async function chat(
  http: HttpClient,
  token: string | null,
  message: string,
  includeWorkoutContext: boolean,
  signal?: AbortSignal,
): Promise<ChatReply> {
  const { body } = await http.request('/chat', {
    method: 'POST',
    body: { message, include_workout_context: includeWorkoutContext },
    ...auth(token, signal),
  });
  return body as ChatReply;
}

export async function recommend(
  http: HttpClient,
  token: string | null,
  request: RecommendationRequest,
  signal?: AbortSignal,
): Promise<WorkoutRecommendation> {
  const { body } = await http.request('/recommend', {
    method: 'POST',
    body: request,
    ...auth(token, signal),
  });
  return body as WorkoutRecommendation;
}

/** `weeks`: the period a signed-in analysis covers (ISO weeks, the current one included). */
export async function analyze(
  http: HttpClient,
  token: string | null,
  weeks = 8,
  signal?: AbortSignal,
): Promise<ProgressAnalysis> {
  const { body } = await http.request('/analyze', { query: { weeks }, ...auth(token, signal) });
  return body as ProgressAnalysis;
}
