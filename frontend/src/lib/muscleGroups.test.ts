import { describe, expect, it } from 'vitest';
import { muscleGroupOf, volumeByMuscleGroup } from './muscleGroups';

describe('muscle groups', () => {
  it.each([
    ['Bench Press', 'chest'],
    ['Close-Grip Bench Press', 'triceps'],
    ['Hanging Leg Raise', 'core'],
    ['Romanian Deadlift', 'legs'],
    ['Deadlift', 'back'],
    ['Pull-Up', 'back'],
    ['Overhead Press', 'shoulders'],
    ['Barbell Curl', 'biceps'],
    ['Burpees', 'full_body'],
    ['Juggling', 'other'],
  ])('%s trains %s', (name, group) => {
    expect(muscleGroupOf(name)).toBe(group);
  });

  it('adds up volume per group, largest first, counting bodyweight sets', () => {
    const groups = volumeByMuscleGroup([
      { id: 1, name: 'Squat', sets: 5, reps: 5, weight: 100, workout_day: 'A' },
      { id: 2, name: 'Bench Press', sets: 3, reps: 10, weight: 60, workout_day: 'A' },
      { id: 3, name: 'Lunges', sets: 3, reps: 12, weight: null, workout_day: 'B' },
    ]);
    expect(groups).toEqual([
      { group: 'legs', volumeKg: 2500, sets: 8, exercises: 2 },
      { group: 'chest', volumeKg: 1800, sets: 3, exercises: 1 },
    ]);
  });
});
