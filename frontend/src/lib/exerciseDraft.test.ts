import { describe, expect, it } from 'vitest';
import type { Exercise } from '../api/types';
import { draftFromExercise, patchFor, validateDraft } from './exerciseDraft';

const bench: Exercise = {
  id: 7,
  name: 'Bench Press',
  sets: 4,
  reps: 8,
  weight: 80,
  workout_day: 'A',
};

describe('exercise form values', () => {
  it('accepts a bodyweight exercise with an empty weight as null', () => {
    const { values, errors } = validateDraft({
      name: ' Pull-up ',
      sets: '3',
      reps: '10',
      weight: '',
      workout_day: 'B',
    });
    expect(errors).toEqual({});
    expect(values).toEqual({ name: 'Pull-up', sets: 3, reps: 10, weight: null, workout_day: 'B' });
  });

  it('accepts a decimal comma in the weight', () => {
    expect(validateDraft({ ...draftFromExercise(bench), weight: '22,5' }).values?.weight).toBe(
      22.5,
    );
  });

  it('reports every field outside the contract limits', () => {
    const { values, errors } = validateDraft({
      name: '',
      sets: '0',
      reps: '1001',
      weight: '-5',
      workout_day: 'ABCDEFGHIJK',
    });
    expect(values).toBeNull();
    expect(Object.keys(errors).sort()).toEqual(['name', 'reps', 'sets', 'weight', 'workout_day']);
  });

  it('patches only the fields that changed', () => {
    const values = validateDraft({ ...draftFromExercise(bench), reps: '10' }).values!;
    expect(patchFor(bench, values)).toEqual({ reps: 10 });
  });

  it('clears the weight with an explicit null', () => {
    const values = validateDraft({ ...draftFromExercise(bench), weight: '' }).values!;
    expect(patchFor(bench, values)).toEqual({ weight: null });
  });

  it('sends nothing when nothing changed', () => {
    expect(patchFor(bench, validateDraft(draftFromExercise(bench)).values!)).toEqual({});
  });
});
