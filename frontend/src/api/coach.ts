import type { HttpClient } from './http';
import type {
  ChatReply,
  CoachHealth,
  ProgressAnalysis,
  RecommendationRequest,
  WorkoutRecommendation,
} from './types';

export async function coachHealth(http: HttpClient, signal?: AbortSignal): Promise<CoachHealth> {
  const { body } = await http.request('/health', signal ? { signal } : {});
  return body as CoachHealth;
}

export async function chat(
  http: HttpClient,
  message: string,
  includeWorkoutContext: boolean,
  signal?: AbortSignal,
): Promise<ChatReply> {
  const { body } = await http.request('/chat', {
    method: 'POST',
    body: { message, include_workout_context: includeWorkoutContext },
    ...(signal ? { signal } : {}),
  });
  return body as ChatReply;
}

export async function recommend(
  http: HttpClient,
  request: RecommendationRequest,
  signal?: AbortSignal,
): Promise<WorkoutRecommendation> {
  const { body } = await http.request('/recommend', {
    method: 'POST',
    body: request,
    ...(signal ? { signal } : {}),
  });
  return body as WorkoutRecommendation;
}

export async function analyze(http: HttpClient, signal?: AbortSignal): Promise<ProgressAnalysis> {
  const { body } = await http.request('/analyze', signal ? { signal } : {});
  return body as ProgressAnalysis;
}
