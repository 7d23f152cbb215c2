import type { Exercise, ExerciseCreate, ExercisePatch } from '../api/types';

/** What the exercise form holds: the text exactly as typed, so nothing is lost on an error. */
export interface ExerciseDraft {
  name: string;
  sets: string;
  reps: string;
  weight: string;
  workout_day: string;
}

export type DraftErrors = Partial<Record<keyof ExerciseDraft, string>>;

export const EMPTY_DRAFT: ExerciseDraft = {
  name: '',
  sets: '3',
  reps: '10',
  weight: '',
  workout_day: 'A',
};

export function draftFromExercise(exercise: Exercise): ExerciseDraft {
  return {
    name: exercise.name,
    sets: String(exercise.sets),
    reps: String(exercise.reps),
    weight: exercise.weight === null ? '' : String(exercise.weight),
    workout_day: exercise.workout_day,
  };
}

function wholeNumber(
  text: string,
  label: string,
  max: number,
): [number | null, string | undefined] {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return [null, `${label} must be a whole number from 1 to ${max}.`];
  const value = Number(trimmed);
  if (value < 1 || value > max) return [null, `${label} must be from 1 to ${max}.`];
  return [value, undefined];
}

/** Check a draft against the contract's constraints; returns the values or per-field errors. */
export function validateDraft(draft: ExerciseDraft): {
  values: ExerciseCreate | null;
  errors: DraftErrors;
} {
  const errors: DraftErrors = {};
  const name = draft.name.trim();
  if (name.length === 0) errors.name = 'Name is required.';
  else if (name.length > 100) errors.name = 'Name must be at most 100 characters.';
  const [sets, setsError] = wholeNumber(draft.sets, 'Sets', 100);
  if (setsError) errors.sets = setsError;
  const [reps, repsError] = wholeNumber(draft.reps, 'Reps', 1000);
  if (repsError) errors.reps = repsError;
  let weight: number | null = null;
  const weightText = draft.weight.trim().replace(',', '.');
  if (weightText !== '') {
    weight = Number(weightText);
    if (!Number.isFinite(weight) || weight < 0) {
      errors.weight = 'Weight must be a number of kilograms, 0 or more (leave empty for none).';
    }
  }
  const day = draft.workout_day.trim();
  if (day.length === 0) errors.workout_day = 'Workout day is required (for example A).';
  else if (day.length > 10) errors.workout_day = 'Workout day must be at most 10 characters.';
  if (Object.keys(errors).length > 0 || sets === null || reps === null)
    return { values: null, errors };
  return { values: { name, sets, reps, weight, workout_day: day }, errors };
}

/** PATCH semantics: send only what changed; an emptied weight is sent as `null` to clear it. */
export function patchFor(original: Exercise, values: ExerciseCreate): ExercisePatch {
  const patch: ExercisePatch = {};
  if (values.name !== original.name) patch.name = values.name;
  if (values.sets !== original.sets) patch.sets = values.sets;
  if (values.reps !== original.reps) patch.reps = values.reps;
  if (values.weight !== original.weight) patch.weight = values.weight;
  if (values.workout_day !== original.workout_day) patch.workout_day = values.workout_day;
  return patch;
}
