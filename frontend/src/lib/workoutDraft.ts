import type {
  SetOut,
  SetType,
  WeightUnit,
  Workout,
  WorkoutIn,
  WorkoutRecord,
} from '../api/trainingTypes';
import { STORAGE_KEYS, readJson, writeJson } from './storage';
import { formatWeight, fromKg, toKg } from './units';

/** One set as typed: text fields keep exactly what the lifter entered. */
export interface DraftSet {
  key: string;
  type: SetType;
  weight: string;
  reps: string;
  rpe: string;
  done: boolean;
}

export interface DraftExercise {
  key: string;
  templateId: number;
  name: string;
  /** The library's equipment when picked there (a repeated workout does not carry it). */
  equipment?: string;
  sets: DraftSet[];
  /** The sets of the last workout holding this exercise (null: none, or not loaded). */
  previous: SetOut[] | null;
}

/** The workout in progress, saved to localStorage on every change. */
export interface Draft {
  clientId: string;
  title: string;
  startedAt: string;
  /** The unit the weights were typed in. */
  unit: WeightUnit;
  exercises: DraftExercise[];
}

export const SET_TYPE_LABELS: Record<SetType, string> = {
  normal: '',
  warmup: 'W',
  dropset: 'D',
  failure: 'F',
};

export const SET_TYPE_NAMES: Record<SetType, string> = {
  normal: 'normal set',
  warmup: 'warm-up',
  dropset: 'drop set',
  failure: 'failure set',
};

const SET_TYPE_CYCLE: SetType[] = ['normal', 'warmup', 'dropset', 'failure'];

/** What each row shows in its first cell: W, D or F, or the number among working sets. */
export function setLabels(sets: Pick<DraftSet, 'type'>[]): string[] {
  let working = 0;
  return sets.map((set) => {
    if (set.type === 'warmup') return SET_TYPE_LABELS.warmup;
    working += 1;
    return SET_TYPE_LABELS[set.type] || String(working);
  });
}

export function nextSetType(type: SetType): SetType {
  return SET_TYPE_CYCLE[(SET_TYPE_CYCLE.indexOf(type) + 1) % SET_TYPE_CYCLE.length] ?? 'normal';
}

export function newKey(): string {
  return globalThis.crypto.randomUUID();
}

export function defaultTitle(start: Date): string {
  const hour = start.getHours();
  const part = hour < 12 ? 'Morning' : hour < 17 ? 'Afternoon' : 'Evening';
  return `${part} workout`;
}

export function newDraft(now: Date, unit: WeightUnit): Draft {
  return {
    clientId: newKey(),
    title: defaultTitle(now),
    startedAt: now.toISOString(),
    unit,
    exercises: [],
  };
}

export function emptySet(): DraftSet {
  return { key: newKey(), type: 'normal', weight: '', reps: '', rpe: '', done: false };
}

/** "Add set" copies the last set's type, weight, reps and RPE, not done yet. */
export function copyOfLast(sets: DraftSet[]): DraftSet {
  const last = sets[sets.length - 1];
  return last ? { ...last, key: newKey(), done: false } : emptySet();
}

/** A new draft repeating a past workout: its exercises and sets, nothing done. */
export function repeatWorkout(workout: Workout, now: Date, unit: WeightUnit): Draft {
  return {
    ...newDraft(now, unit),
    title: workout.title,
    exercises: workout.exercises.map((exercise) => ({
      key: newKey(),
      templateId: exercise.template_id,
      name: exercise.name,
      previous: exercise.sets,
      sets: exercise.sets.map((set) => ({
        key: newKey(),
        type: set.type,
        weight: set.weight_kg === null ? '' : String(fromKg(set.weight_kg, unit)),
        reps: set.reps === null ? '' : String(set.reps),
        rpe: set.rpe === null ? '' : String(set.rpe),
        done: false,
      })),
    })),
  };
}

/** True for a barbell lift: by the library's equipment, else by the name ("Barbell Row"). */
export function usesBarbell(exercise: Pick<DraftExercise, 'equipment' | 'name'>): boolean {
  if (exercise.equipment !== undefined) return exercise.equipment === 'barbell';
  return /barbell/i.test(exercise.name);
}

/** The weight the plate calculator opens with: the next set to do, else the last one typed. */
export function weightToLoad(sets: DraftSet[]): string {
  const typed = sets.filter((set) => set.weight.trim() !== '');
  return (typed.find((set) => !set.done) ?? typed[typed.length - 1])?.weight ?? '';
}

/**
 * What the lifter did "in this set" last time: the same-numbered set among sets of the same
 * kind (warm-ups are matched with warm-ups, working sets with working sets).
 */
export function previousSet(
  previous: SetOut[] | null,
  sets: Pick<DraftSet, 'type'>[],
  index: number,
): SetOut | null {
  if (!previous) return null;
  const warm = (type: SetType) => type === 'warmup';
  const current = sets[index];
  if (!current) return null;
  const nth = sets.slice(0, index).filter((set) => warm(set.type) === warm(current.type)).length;
  return previous.filter((set) => warm(set.type) === warm(current.type))[nth] ?? null;
}

export function describeSet(set: SetOut, unit: WeightUnit): string {
  const reps = set.reps ?? 0;
  return set.weight_kg === null ? `${reps} reps` : `${formatWeight(set.weight_kg, unit)} × ${reps}`;
}

export function loadDraft(storage?: Storage): Draft | null {
  return readJson<Draft>(STORAGE_KEYS.draft, storage);
}

export function saveDraft(draft: Draft | null, storage?: Storage): boolean {
  return writeJson(STORAGE_KEYS.draft, draft, storage);
}

function number(text: string): number | null {
  const value = Number(text.trim().replace(',', '.'));
  return text.trim() === '' || !Number.isFinite(value) ? null : value;
}

/**
 * The POST body for a finished draft. Sets without reps carry nothing to record and are left
 * out; exercises left with no sets are left out too.
 */
export function workoutBody(draft: Draft, endedAt: Date): WorkoutIn {
  return {
    title: draft.title.trim() || defaultTitle(new Date(draft.startedAt)),
    started_at: draft.startedAt,
    ended_at: endedAt.toISOString(),
    client_id: draft.clientId,
    exercises: draft.exercises
      .map((exercise) => ({
        template_id: exercise.templateId,
        sets: exercise.sets.flatMap((set) => {
          const reps = number(set.reps);
          if (reps === null) return [];
          const weight = number(set.weight);
          const rpe = number(set.rpe);
          return [
            {
              type: set.type,
              weight_kg: weight === null ? null : toKg(weight, draft.unit),
              reps: Math.round(reps),
              rpe: rpe === null ? null : Math.min(10, Math.max(1, Math.round(rpe * 2) / 2)),
              completed: set.done,
            },
          ];
        }),
      }))
      .filter((exercise) => exercise.sets.length > 0),
  };
}

export interface WorkoutTotals {
  durationS: number;
  volumeKg: number;
  sets: number;
}

/** Volume counts completed, non-warm-up sets (as the API does); sets counts completed ones. */
export function totals(body: WorkoutIn): WorkoutTotals {
  let volumeKg = 0;
  let sets = 0;
  for (const exercise of body.exercises) {
    for (const set of exercise.sets) {
      if (!set.completed) continue;
      sets += 1;
      if (set.type !== 'warmup') volumeKg += (set.weight_kg ?? 0) * (set.reps ?? 0);
    }
  }
  const durationS = body.ended_at
    ? Math.max(0, Math.round((Date.parse(body.ended_at) - Date.parse(body.started_at)) / 1000))
    : 0;
  return { durationS, volumeKg, sets };
}

export const RECORD_NAMES: Record<WorkoutRecord['kind'], string> = {
  heaviest_weight: 'Heaviest weight',
  best_e1rm: 'Best estimated 1RM',
  best_set_volume: 'Best set volume',
  most_reps: 'Most reps',
  rep_max_1: '1-rep max',
  rep_max_3: '3-rep max',
  rep_max_5: '5-rep max',
  rep_max_10: '10-rep max',
};

export function describeRecord(record: WorkoutRecord, unit: WeightUnit): string {
  if (record.kind === 'most_reps') return `${record.value} reps`;
  if (record.kind === 'best_set_volume') return formatWeight(record.value, unit);
  return formatWeight(record.value, unit);
}
