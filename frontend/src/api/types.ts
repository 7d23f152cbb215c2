/** Shapes of the service contract (SERVICE_CONTRACT §3–§4). */

export const SORT_COLUMNS = ['id', 'name', 'sets', 'reps', 'weight', 'workout_day'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];
export type SortOrder = 'asc' | 'desc';

export interface Exercise {
  id: number;
  name: string;
  sets: number;
  reps: number;
  weight: number | null;
  workout_day: string;
}

export type ExerciseCreate = Omit<Exercise, 'id'>;
/** PATCH body: only the fields present are changed; `weight: null` clears the weight. */
export type ExercisePatch = Partial<ExerciseCreate>;

export interface ExercisePage {
  page: number;
  page_size: number;
  total: number;
  items: Exercise[];
}

export interface ListQuery {
  page: number;
  pageSize: number;
  sortBy: SortColumn;
  sortOrder: SortOrder;
}

export type Role = 'admin' | 'user' | 'readonly' | 'service';

export interface User {
  username: string;
  email: string | null;
  role: Role;
  disabled: boolean;
}

export interface TokenPair {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token?: string;
}

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

export interface CoachHealth {
  status: string;
  service: string;
  ai_model: string;
  workout_api_connected: boolean;
  redis_connected: boolean;
}

export interface ChatReply {
  response: string;
  context_used: boolean;
}

export interface RecommendationRequest {
  focus_area: MuscleGroup | null;
  equipment_available: string[];
  session_duration_minutes: number;
}

export interface RecommendedExercise {
  name: string;
  sets: number;
  reps: string;
  weight_suggestion: string | null;
  notes: string | null;
  muscle_group: string | null;
}

export interface WorkoutRecommendation {
  title: string;
  description: string;
  exercises: RecommendedExercise[];
  estimated_duration_minutes: number;
  difficulty: string;
  tips: string[];
}

/** One muscle group's share of the log, as the coach groups exercises. */
export interface MuscleGroupVolume {
  group: string;
  exercises: number;
  /** Sets, bodyweight work included. */
  sets: number;
  /** sets × reps × weight in kilograms; bodyweight work adds none. */
  volume: number;
}

export interface ProgressAnalysis {
  summary: string;
  strengths: string[];
  areas_to_improve: string[];
  recommendations: string[];
  muscle_balance_score: number | null;
  /** Additive to the contract: the groups the log trains, largest volume first. */
  volume_by_muscle_group?: MuscleGroupVolume[];
}
