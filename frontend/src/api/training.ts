import type { HttpClient } from './http';
import type {
  ExerciseRecords,
  ExerciseTemplate,
  HistoryItem,
  Page,
  Progress,
  Stats,
  TemplateCreate,
  WeightUnit,
  Workout,
  WorkoutIn,
  WorkoutPatch,
  WorkoutReplace,
  WorkoutSummary,
} from './trainingTypes';

export async function searchTemplates(
  http: HttpClient,
  token: string,
  q: string,
  pageSize = 50,
): Promise<Page<ExerciseTemplate>> {
  const { body } = await http.request('/exercise-templates', {
    query: { q: q.trim() || undefined, page_size: pageSize },
    token,
  });
  return body as Page<ExerciseTemplate>;
}

export async function createTemplate(
  http: HttpClient,
  token: string,
  template: TemplateCreate,
): Promise<ExerciseTemplate> {
  const { body } = await http.request('/exercise-templates', {
    method: 'POST',
    body: template,
    token,
  });
  return body as ExerciseTemplate;
}

/** The last workout holding this exercise ("previous" on the logging screen), or null. */
export async function lastTime(
  http: HttpClient,
  token: string,
  templateId: number,
): Promise<HistoryItem | null> {
  const { body } = await http.request(`/exercise-templates/${templateId}/history`, {
    query: { page: 1, page_size: 1 },
    token,
  });
  return (body as Page<HistoryItem>).items[0] ?? null;
}

export async function progress(
  http: HttpClient,
  token: string,
  templateId: number,
): Promise<Progress> {
  const { body } = await http.request(`/exercise-templates/${templateId}/progress`, {
    query: { metric: 'e1rm', bucket: 'workout' },
    token,
  });
  return body as Progress;
}

/** POST a whole workout; the same client_id twice answers the first one (200), never a copy. */
export async function saveWorkout(
  http: HttpClient,
  token: string,
  workout: WorkoutIn,
): Promise<Workout> {
  const { body } = await http.request('/workouts', { method: 'POST', body: workout, token });
  return body as Workout;
}

export async function listWorkouts(
  http: HttpClient,
  token: string,
  page: number,
  pageSize = 20,
): Promise<Page<WorkoutSummary>> {
  const { body } = await http.request('/workouts', {
    query: { page, page_size: pageSize },
    token,
  });
  return body as Page<WorkoutSummary>;
}

/** Every workout started in [from, to) (dates, UTC), reading pages of 100 until the total. */
export async function listWorkoutsBetween(
  http: HttpClient,
  token: string,
  from: string,
  to: string,
  maxPages = 20,
): Promise<WorkoutSummary[]> {
  const items: WorkoutSummary[] = [];
  for (let page = 1; page <= maxPages; page += 1) {
    const { body } = await http.request('/workouts', {
      query: { from, to, page, page_size: 100 },
      token,
    });
    const answer = body as Page<WorkoutSummary>;
    items.push(...answer.items);
    if (answer.items.length === 0 || items.length >= answer.total) break;
  }
  return items;
}

/** Title, notes, start and end only; the sets stay as they are. */
export async function patchWorkout(
  http: HttpClient,
  token: string,
  id: number,
  change: WorkoutPatch,
): Promise<Workout> {
  const { body } = await http.request(`/workouts/${id}`, { method: 'PATCH', body: change, token });
  return body as Workout;
}

/** Replaces the workout whole: exercises and sets not in `workout` are gone afterwards. */
export async function replaceWorkout(
  http: HttpClient,
  token: string,
  id: number,
  workout: WorkoutReplace,
): Promise<Workout> {
  const { body } = await http.request(`/workouts/${id}`, { method: 'PUT', body: workout, token });
  return body as Workout;
}

export async function getStats(http: HttpClient, token: string, from?: string): Promise<Stats> {
  const { body } = await http.request('/stats', { query: { from }, token });
  return body as Stats;
}

export async function getWorkout(http: HttpClient, token: string, id: number): Promise<Workout> {
  const { body } = await http.request(`/workouts/${id}`, { token });
  return body as Workout;
}

export async function deleteWorkout(http: HttpClient, token: string, id: number): Promise<void> {
  await http.request(`/workouts/${id}`, { method: 'DELETE', token });
}

export async function listRecords(
  http: HttpClient,
  token: string,
  templateId?: number,
): Promise<ExerciseRecords[]> {
  const { body } = await http.request('/records', { query: { template_id: templateId }, token });
  return (body as { items: ExerciseRecords[] }).items;
}

export async function setWeightUnit(
  http: HttpClient,
  token: string,
  unit: WeightUnit,
): Promise<void> {
  await http.request('/auth/me', { method: 'PATCH', body: { weight_unit: unit }, token });
}
