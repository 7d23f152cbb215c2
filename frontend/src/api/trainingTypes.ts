/** Shapes of the training log (TRAINING_LOG.md): library, workouts, sets, records, progress. */

export type WeightUnit = 'kg' | 'lb';
export type SetType = 'normal' | 'warmup' | 'failure' | 'dropset';
export type RecordKind =
  | 'heaviest_weight'
  | 'best_e1rm'
  | 'best_set_volume'
  | 'most_reps'
  | 'rep_max_1'
  | 'rep_max_3'
  | 'rep_max_5'
  | 'rep_max_10';

export interface ExerciseTemplate {
  id: number;
  name: string;
  type: string;
  primary_muscle: string;
  secondary_muscles: string[];
  equipment: string;
  aliases: string[];
  custom: boolean;
}

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

export interface SetOut extends SetIn {
  position: number;
  duration_s: number | null;
  distance_m: number | null;
}

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

export interface WorkoutRecord {
  template_id: number;
  kind: RecordKind;
  value: number;
  previous_value: number | null;
}

export interface Workout {
  id: number;
  title: string;
  notes: string | null;
  started_at: string;
  ended_at: string | null;
  source: string;
  client_id: string | null;
  exercises: {
    position: number;
    template_id: number;
    name: string;
    notes: string | null;
    superset: number | null;
    sets: SetOut[];
  }[];
  records: WorkoutRecord[];
}

export interface WorkoutSummary {
  id: number;
  title: string;
  started_at: string;
  ended_at: string | null;
  duration_s: number | null;
  exercise_count: number;
  set_count: number;
  volume_kg: number;
  record_count: number;
  exercises: { template_id: number; name: string; set_count: number }[];
}

export interface HistoryItem {
  workout_id: number;
  title: string;
  started_at: string;
  sets: SetOut[];
}

export interface ProgressPoint {
  date: string;
  value: number;
  workout_id: number;
}

export interface Progress {
  metric: string;
  bucket: string;
  unit: 'kg' | 'reps';
  points: ProgressPoint[];
}

export interface RecordValue {
  value: number;
  workout_id: number;
  achieved_at: string;
}

export interface ExerciseRecords {
  template_id: number;
  name: string;
  heaviest_weight: RecordValue | null;
  best_e1rm: RecordValue | null;
  best_set_volume: RecordValue | null;
  most_reps: RecordValue | null;
  rep_maxes: Record<'1' | '3' | '5' | '10', RecordValue | null>;
}
