import type { SetOut, SetType, WeightUnit, Workout, WorkoutReplace } from '../api/trainingTypes';
import { fromKg, toKg } from './units';
import { newKey } from './workoutDraft';

/** One set as typed in the sets form; `original` keeps what the form does not show. */
export interface EditedSet {
  key: string;
  original: SetOut | null;
  type: SetType;
  weight: string;
  reps: string;
  completed: boolean;
}

export interface EditedExercise {
  key: string;
  templateId: number;
  name: string;
  notes: string | null;
  superset: number | null;
  sets: EditedSet[];
}

function shown(kg: number | null, unit: WeightUnit): string {
  return kg === null ? '' : String(Math.round(fromKg(kg, unit) * 100) / 100);
}

export function setsEditOf(workout: Workout, unit: WeightUnit): EditedExercise[] {
  return workout.exercises.map((exercise) => ({
    key: newKey(),
    templateId: exercise.template_id,
    name: exercise.name,
    notes: exercise.notes,
    superset: exercise.superset,
    sets: exercise.sets.map((set) => ({
      key: newKey(),
      original: set,
      type: set.type,
      weight: shown(set.weight_kg, unit),
      reps: set.reps === null ? '' : String(set.reps),
      completed: set.completed,
    })),
  }));
}

/** "Add set": a copy of the last set's type, weight and reps, without its other fields. */
export function addedSet(sets: EditedSet[]): EditedSet {
  const last = sets[sets.length - 1];
  return {
    key: newKey(),
    original: null,
    type: last?.type ?? 'normal',
    weight: last?.weight ?? '',
    reps: last?.reps ?? '',
    completed: true,
  };
}

function parse(text: string): number | null | 'bad' {
  const trimmed = text.trim().replace(',', '.');
  if (!trimmed) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) && value >= 0 ? value : 'bad';
}

/**
 * The PUT body: the workout's own fields as they are, and every set with the fields the form
 * does not show (duration, distance, RPE) kept. A weight left as shown keeps its exact
 * kilograms, so a round trip through pounds changes nothing.
 */
export function replaceBodyOf(
  workout: Workout,
  exercises: EditedExercise[],
  unit: WeightUnit,
): { body: WorkoutReplace } | { problem: string } {
  const out: WorkoutReplace['exercises'] = [];
  for (const exercise of exercises) {
    const sets: WorkoutReplace['exercises'][number]['sets'] = [];
    for (const [index, set] of exercise.sets.entries()) {
      const where = `${exercise.name}, set ${index + 1}`;
      const weight = parse(set.weight);
      const reps = parse(set.reps);
      if (weight === 'bad') return { problem: `${where}: the weight is not a number.` };
      if (reps === 'bad' || (reps !== null && !Number.isInteger(reps)))
        return { problem: `${where}: reps must be a whole number.` };
      const original = set.original;
      const hasOther =
        original !== null && (original.duration_s !== null || original.distance_m !== null);
      if (reps === null && !hasOther) return { problem: `${where}: enter the reps.` };
      const weightKg =
        weight === null
          ? null
          : original && set.weight === shown(original.weight_kg, unit)
            ? original.weight_kg
            : Math.round(toKg(weight, unit) * 1000) / 1000;
      sets.push({
        type: set.type,
        weight_kg: weightKg,
        reps,
        rpe: original?.rpe ?? null,
        duration_s: original?.duration_s ?? null,
        distance_m: original?.distance_m ?? null,
        completed: set.completed,
      });
    }
    if (sets.length > 0)
      out.push({
        template_id: exercise.templateId,
        notes: exercise.notes,
        superset: exercise.superset,
        sets,
      });
  }
  return {
    body: {
      title: workout.title,
      notes: workout.notes,
      started_at: workout.started_at,
      ended_at: workout.ended_at,
      client_id: workout.client_id,
      exercises: out,
    },
  };
}
