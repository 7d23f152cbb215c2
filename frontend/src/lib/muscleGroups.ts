import type { Exercise } from '../api/types';

/**
 * Muscle group of an exercise, inferred from its name with the same ordered keyword table
 * as the coach (first match wins; specific names come before generic ones), so the chart
 * and the coach's analysis group exercises alike. Names that match nothing are "other".
 */
const KEYWORDS: [group: string, patterns: string[]][] = [
  [
    'core',
    [
      'leg raises?',
      'knee raises?',
      'planks?',
      'crunch(?:es)?',
      'sit ?ups?',
      'ab wheel',
      'roll ?outs?',
      'russian twists?',
      'dead ?bugs?',
      'hollow (?:hold|body|rock)',
      'mountain climbers?',
      'pallof',
      'wood ?chops?',
      'obliques?',
      'v ?ups?',
      'flutter kicks?',
      'abs?',
      'core',
    ],
  ],
  [
    'legs',
    [
      'romanian deadlifts?',
      'rdls?',
      'stiff legg?e?d? deadlifts?',
      '(?:leg|hamstring|nordic) curls?',
      'nordics?',
      'leg press(?:es)?',
      'leg extensions?',
      'squats?',
      'lunges?',
      'step ?ups?',
      'calf',
      'calves',
      'hip thrusts?',
      'glutes?',
      'bridges?',
      'hamstrings?',
      'quads?',
      'good mornings?',
      'legs?',
      'box jumps?',
      'wall sits?',
    ],
  ],
  [
    'triceps',
    [
      'close grip (?:bench|press)',
      'triceps?',
      'skull ?crushers?',
      'push ?downs?',
      'kick ?backs?',
      'french press',
      'dips?',
      'overhead extensions?',
    ],
  ],
  [
    'shoulders',
    [
      'overhead press',
      'shoulders?',
      'military press',
      'ohp',
      '(?:lateral|side|front) raises?',
      'rear delts?',
      'reverse fl(?:y|ye|yes|ies)',
      'arnold',
      'upright rows?',
      'face pulls?',
      'delts?',
      'deltoids?',
      'push press',
      'landmine press',
    ],
  ],
  [
    'full_body',
    [
      'burpees?',
      'cleans?',
      'snatch(?:es)?',
      'thrusters?',
      '(?:kettlebell )?swings?',
      'turkish get ?ups?',
      'man ?makers?',
      'farmers?(?: walks?| carry| carries)?',
      'sled',
    ],
  ],
  [
    'back',
    [
      'deadlifts?',
      'rows?',
      'pull ?ups?',
      'chin ?ups?',
      'pull ?downs?',
      'lats?',
      'back extensions?',
      'hyperextensions?',
      'supermans?',
      'shrugs?',
      'back',
    ],
  ],
  [
    'chest',
    [
      'bench',
      'chest',
      'push ?ups?',
      'fl(?:y|ye|yes|ies)',
      'pecs?',
      'pec deck',
      'cross ?overs?',
      '(?:incline|decline) (?:\\w+ )?press',
    ],
  ],
  ['biceps', ['curls?', 'biceps?']],
];

const PATTERNS = KEYWORDS.map(
  ([group, patterns]) => [group, new RegExp(`\\b(?:${patterns.join('|')})\\b`)] as const,
);

export function normaliseName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export function muscleGroupOf(name: string): string {
  const normalised = normaliseName(name);
  for (const [group, pattern] of PATTERNS) {
    if (pattern.test(normalised)) return group;
  }
  return 'other';
}

export interface GroupVolume {
  group: string;
  /** sets × reps × weight, in kilograms; bodyweight work counts 0 here. */
  volumeKg: number;
  sets: number;
  exercises: number;
}

/** Volume per muscle group, largest first. */
export function volumeByMuscleGroup(exercises: Exercise[]): GroupVolume[] {
  const groups = new Map<string, GroupVolume>();
  for (const exercise of exercises) {
    const group = muscleGroupOf(exercise.name);
    const entry = groups.get(group) ?? { group, volumeKg: 0, sets: 0, exercises: 0 };
    entry.volumeKg += exercise.sets * exercise.reps * (exercise.weight ?? 0);
    entry.sets += exercise.sets;
    entry.exercises += 1;
    groups.set(group, entry);
  }
  return [...groups.values()].sort((a, b) => b.volumeKg - a.volumeKg || b.sets - a.sets);
}

export function groupLabel(group: string): string {
  const text = group.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
