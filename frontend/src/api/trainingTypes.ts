/** Shapes of the training log (TRAINING_LOG.md): library, workouts, sets, records, progress.
 * Answers come from the API's OpenAPI document; request bodies are what the web app sends. */

import type { components } from './generated/workout-api';

type Schemas = components['schemas'];

export type WeightUnit = 'kg' | 'lb';
export type SetType = Schemas['SetOut']['type'];
export type RecordKind = Schemas['WorkoutRecord']['kind'];

export type ExerciseTemplate = Schemas['TemplateResponse'];

export interface TemplateCreate {
  name: string;
  primary_muscle: string;
  type?: string;
  equipment?: string;
}

export interface Page<T> {
  page: number;
  page_size: number;
  total: number;
  items: T[];
}

export interface SetIn {
  type: SetType;
  weight_kg: number | null;
  reps: number | null;
  rpe: number | null;
  completed: boolean;
}

export type SetOut = Schemas['SetOut'];

export interface ExerciseIn {
  template_id: number;
  sets: SetIn[];
}

export interface WorkoutIn {
  title: string;
  started_at: string;
  ended_at: string | null;
  client_id: string;
  exercises: ExerciseIn[];
}

export type WorkoutRecord = Schemas['WorkoutRecord'];

export type Workout = Schemas['WorkoutResponse'];

export type WorkoutSummary = Schemas['WorkoutSummary'];

export type HistoryItem = Schemas['HistoryItem'];

export type ProgressPoint = Schemas['ProgressPoint'];

export type Progress = Schemas['Progress'];

export type RecordValue = Schemas['Record'];

export type ExerciseRecords = Schemas['ExerciseRecords'];

export type WorkoutPatch = Schemas['WorkoutPatch'];

export type Stats = Schemas['Stats'];

export type MuscleStats = Schemas['MuscleStats'];

/** `PUT /workouts/{id}`: the whole workout, every set with all its fields. */
export type WorkoutReplace = Schemas['WorkoutIn'];
