/** Shapes of the service contract (SERVICE_CONTRACT §3–§4), from the services' OpenAPI documents. */

import type { components as ApiComponents } from './generated/workout-api';
import type { components as CoachComponents } from './generated/ai-coach';

type ApiSchemas = ApiComponents['schemas'];
type CoachSchemas = CoachComponents['schemas'];

export const SORT_COLUMNS = ['id', 'name', 'sets', 'reps', 'weight', 'workout_day'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export type SortOrder = 'asc' | 'desc';

export type Exercise = ApiSchemas['ExerciseResponse'];

export type ExerciseCreate = Omit<Exercise, 'id'>;
/** PATCH body: only the fields present are changed; `weight: null` clears the weight. */
export type ExercisePatch = Partial<ExerciseCreate>;

export type ExercisePage = ApiSchemas['ExercisePage'];

export interface ListQuery {
  page: number;
  pageSize: number;
  sortBy: SortColumn;
  sortOrder: SortOrder;
}

export type Role = 'admin' | 'user' | 'readonly' | 'service';

export type User = ApiSchemas['UserPublic'];

export type TokenPair = ApiSchemas['Token'];

export const MUSCLE_GROUPS = [
  'chest',
  'back',
  'shoulders',
  'biceps',
  'triceps',
  'legs',
  'core',
  'full_body',
] as const;
export type MuscleGroup = (typeof MUSCLE_GROUPS)[number];

export type CoachHealth = CoachSchemas['HealthResponse'];

export type ChatReply = CoachSchemas['ChatResponse'];

export interface RecommendationRequest {
  focus_area: MuscleGroup | null;
  equipment_available: string[];
  session_duration_minutes: number;
}

export type RecommendedExercise = CoachSchemas['ExerciseRecommendation'];

export type WorkoutRecommendation = CoachSchemas['WorkoutRecommendation'];

/** One muscle group's share of the log, as the coach groups exercises. */
export type MuscleGroupVolume = CoachSchemas['MuscleGroupVolume'];

export type ProgressAnalysis = CoachSchemas['ProgressAnalysis'];

/** A signed-in analysis: figures of the lifter's own log over the chosen weeks. */
export type TrainingLogAnalysis = CoachSchemas['TrainingLogAnalysis'];

/** One muscle group's hard sets per week against the target range. */
export type GroupWeeklySets = CoachSchemas['GroupWeeklySets'];

export type StalledLift = CoachSchemas['StalledLift'];

export type RecordInPeriod = CoachSchemas['RecordInPeriod'];

/** What a signed-in plan was built from. */
export type PlanBasis = CoachSchemas['PlanBasis'];
