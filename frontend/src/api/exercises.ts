import type { HttpClient } from './http';
import type { Exercise, ExerciseCreate, ExercisePage, ExercisePatch, ListQuery } from './types';

function listParams(query: ListQuery): Record<string, string | number> {
  return {
    page: query.page,
    page_size: query.pageSize,
    sort_by: query.sortBy,
    sort_order: query.sortOrder,
  };
}

export async function listExercises(http: HttpClient, query: ListQuery): Promise<ExercisePage> {
  const { body } = await http.request('/exercises', { query: listParams(query) });
  return body as ExercisePage;
}

const CSV_PAGE_SIZE = 200;

/** The whole list as one CSV file, in the given order, joined from pages of 200 rows. */
export async function exportCsv(http: HttpClient, query: ListQuery): Promise<string> {
  let header = '';
  const rows: string[] = [];
  for (let page = 1; ; page += 1) {
    const { response, body } = await http.request('/exercises', {
      query: { ...listParams(query), page, page_size: CSV_PAGE_SIZE, format: 'csv' },
    });
    const lines = String(body ?? '')
      .split(/\r?\n/)
      .filter((line) => line !== '');
    header = header || (lines[0] ?? '');
    const pageRows = lines.slice(1);
    rows.push(...pageRows);
    const total = Number(response.headers.get('X-Total-Count') ?? Number.NaN);
    const done = Number.isFinite(total)
      ? page * CSV_PAGE_SIZE >= total
      : pageRows.length < CSV_PAGE_SIZE;
    if (done || pageRows.length === 0) break;
  }
  return [header, ...rows].join('\r\n') + '\r\n';
}

export async function createExercise(
  http: HttpClient,
  token: string,
  exercise: ExerciseCreate,
): Promise<Exercise> {
  const { body } = await http.request('/exercises', { method: 'POST', body: exercise, token });
  return body as Exercise;
}

export async function updateExercise(
  http: HttpClient,
  token: string,
  id: number,
  patch: ExercisePatch,
): Promise<Exercise> {
  const { body } = await http.request(`/exercises/${id}`, { method: 'PATCH', body: patch, token });
  return body as Exercise;
}

export async function deleteExercise(http: HttpClient, token: string, id: number): Promise<void> {
  await http.request(`/exercises/${id}`, { method: 'DELETE', token });
}
