import { describe, expect, it } from 'vitest';
import type { SetOut, Workout } from '../api/trainingTypes';
import { addedSet, replaceBodyOf, setsEditOf } from './setsEdit';

function set(fields: Partial<SetOut>): SetOut {
  return {
    position: 0,
    type: 'normal',
    weight_kg: null,
    reps: null,
    rpe: null,
    duration_s: null,
    distance_m: null,
    completed: true,
    ...fields,
  };
}

const WORKOUT = {
  id: 4,
  title: 'Legs',
  notes: 'Knees fine',
  started_at: '2025-03-03T07:00:00Z',
  ended_at: '2025-03-03T08:00:00Z',
  client_id: 'c0ffee00-0000-4000-8000-000000000000',
  exercises: [
    {
      position: 0,
      template_id: 7,
      name: 'Back Squat',
      notes: 'belt',
      superset: null,
      sets: [
        set({ type: 'warmup', weight_kg: 60, reps: 5 }),
        set({ weight_kg: 102.5, reps: 5, rpe: 8 }),
      ],
    },
    {
      position: 1,
      template_id: 9,
      name: 'Plank',
      notes: null,
      superset: 1,
      sets: [set({ duration_s: 60 })],
    },
  ],
  records: [],
} as unknown as Workout;

describe('editing the sets of a logged workout', () => {
  it('sends back everything unchanged when nothing was typed, in pounds too', () => {
    for (const unit of ['kg', 'lb'] as const) {
      const answer = replaceBodyOf(WORKOUT, setsEditOf(WORKOUT, unit), unit);
      expect(answer).toEqual({
        body: {
          title: 'Legs',
          notes: 'Knees fine',
          started_at: '2025-03-03T07:00:00Z',
          ended_at: '2025-03-03T08:00:00Z',
          client_id: WORKOUT.client_id,
          exercises: [
            {
              template_id: 7,
              notes: 'belt',
              superset: null,
              sets: [
                {
                  type: 'warmup',
                  weight_kg: 60,
                  reps: 5,
                  rpe: null,
                  duration_s: null,
                  distance_m: null,
                  completed: true,
                },
                {
                  type: 'normal',
                  weight_kg: 102.5,
                  reps: 5,
                  rpe: 8,
                  duration_s: null,
                  distance_m: null,
                  completed: true,
                },
              ],
            },
            {
              template_id: 9,
              notes: null,
              superset: 1,
              sets: [
                {
                  type: 'normal',
                  weight_kg: null,
                  reps: null,
                  rpe: null,
                  duration_s: 60,
                  distance_m: null,
                  completed: true,
                },
              ],
            },
          ],
        },
      });
    }
  });

  it('takes a changed weight in the lifter’s unit, an added set, a removed one', () => {
    const edit = setsEditOf(WORKOUT, 'lb');
    const squat = edit[0]!;
    squat.sets[1] = { ...squat.sets[1]!, weight: '235', reps: '3' };
    squat.sets.push(addedSet(squat.sets));
    edit[1]!.sets = [];
    const answer = replaceBodyOf(WORKOUT, edit, 'lb');
    if (!('body' in answer)) throw new Error(answer.problem);
    expect(answer.body.exercises).toHaveLength(1);
    const sets = answer.body.exercises[0]!.sets;
    expect(sets.map((item) => [item.weight_kg, item.reps])).toEqual([
      [60, 5],
      [106.594, 3],
      [106.594, 3],
    ]);
    expect(sets[2]!.rpe).toBeNull();
  });

  it('says which set needs fixing', () => {
    const edit = setsEditOf(WORKOUT, 'kg');
    edit[0]!.sets[1]!.reps = '';
    expect(replaceBodyOf(WORKOUT, edit, 'kg')).toEqual({
      problem: 'Back Squat, set 2: enter the reps.',
    });
    edit[0]!.sets[1]!.reps = '5.5';
    expect(replaceBodyOf(WORKOUT, edit, 'kg')).toEqual({
      problem: 'Back Squat, set 2: reps must be a whole number.',
    });
    edit[0]!.sets[1]!.reps = '5';
    edit[0]!.sets[1]!.weight = 'heavy';
    expect(replaceBodyOf(WORKOUT, edit, 'kg')).toEqual({
      problem: 'Back Squat, set 2: the weight is not a number.',
    });
  });
});
