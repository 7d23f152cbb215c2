import type { Workout, WorkoutPatch } from '../api/trainingTypes';

/** What the edit form holds: text as typed, times as `datetime-local` values (local time). */
export interface WorkoutEdit {
  title: string;
  notes: string;
  startedAt: string;
  endedAt: string;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** An ISO instant as a `datetime-local` value in the browser's time zone. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

export function editOf(workout: Workout): WorkoutEdit {
  return {
    title: workout.title,
    notes: workout.notes ?? '',
    startedAt: toLocalInput(workout.started_at),
    endedAt: toLocalInput(workout.ended_at ?? null),
  };
}

/** The PATCH body, or the sentence saying what to fix first. */
export function patchOf(edit: WorkoutEdit): { patch: WorkoutPatch } | { problem: string } {
  const title = edit.title.trim();
  if (!title) return { problem: 'Give the workout a title.' };
  if (title.length > 100) return { problem: 'The title can be at most 100 characters.' };
  if (edit.notes.length > 5000) return { problem: 'The notes can be at most 5,000 characters.' };
  const started = new Date(edit.startedAt);
  if (!edit.startedAt || Number.isNaN(started.getTime()))
    return { problem: 'Enter when the workout started.' };
  let ended: Date | null = null;
  if (edit.endedAt) {
    ended = new Date(edit.endedAt);
    if (Number.isNaN(ended.getTime())) return { problem: 'The end time is not a valid time.' };
    if (ended < started) return { problem: 'The workout cannot end before it started.' };
  }
  return {
    patch: {
      title,
      notes: edit.notes.trim() ? edit.notes : null,
      started_at: started.toISOString(),
      ended_at: ended ? ended.toISOString() : null,
    },
  };
}
