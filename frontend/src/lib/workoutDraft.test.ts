import { describe, expect, it } from 'vitest';
import type { SetOut, Workout } from '../api/trainingTypes';
import {
  copyOfLast,
  emptySet,
  loadDraft,
  newDraft,
  previousSet,
  repeatWorkout,
  saveDraft,
  totals,
  workoutBody,
  type DraftSet,
} from './workoutDraft';

function made(type: SetOut['type'], weight_kg: number, reps: number, rpe: number | null): SetOut {
  return {
    position: 0,
    type,
    weight_kg,
    reps,
    rpe,
    completed: true,
    duration_s: null,
    distance_m: null,
  };
}

const LAST_TIME: SetOut[] = [
  made('warmup', 40, 10, null),
  made('normal', 80, 8, 8),
  made('normal', 82.5, 6, 9),
];

function set(partial: Partial<DraftSet>): DraftSet {
  return { ...emptySet(), ...partial };
}

describe('workout draft', () => {
  it('is kept in storage so a reload or a closed tab loses nothing', () => {
    const draft = newDraft(new Date('2026-12-07T07:00:00Z'), 'kg');
    draft.exercises.push({
      key: 'a',
      templateId: 1,
      name: 'Bench Press',
      previous: null,
      sets: [set({ weight: '80', reps: '8' })],
    });
    expect(saveDraft(draft, localStorage)).toBe(true);
    expect(loadDraft(localStorage)).toEqual(draft);
    saveDraft(null, localStorage);
    expect(loadDraft(localStorage)).toBeNull();
  });

  it('finds the previous value of the same set among sets of the same kind', () => {
    const sets = [set({ type: 'warmup' }), set({}), set({}), set({})];
    expect(previousSet(LAST_TIME, sets, 0)?.weight_kg).toBe(40);
    expect(previousSet(LAST_TIME, sets, 1)?.weight_kg).toBe(80);
    expect(previousSet(LAST_TIME, sets, 2)?.weight_kg).toBe(82.5);
    expect(previousSet(LAST_TIME, sets, 3)).toBeNull();
    // Without a warm-up today, the first working set still matches last time's first one.
    expect(previousSet(LAST_TIME, [set({})], 0)?.weight_kg).toBe(80);
    expect(previousSet(null, sets, 1)).toBeNull();
  });

  it('"Add set" copies the previous set, not yet done', () => {
    const last = set({ type: 'dropset', weight: '60', reps: '12', rpe: '9', done: true });
    const copy = copyOfLast([last]);
    expect(copy).toMatchObject({
      type: 'dropset',
      weight: '60',
      reps: '12',
      rpe: '9',
      done: false,
    });
    expect(copy.key).not.toBe(last.key);
    expect(copyOfLast([])).toMatchObject({ weight: '', reps: '', done: false });
  });

  it('builds the POST body in kilograms with its client_id, leaving out empty sets', () => {
    const draft = newDraft(new Date('2026-12-07T07:00:00Z'), 'lb');
    draft.exercises.push(
      {
        key: 'a',
        templateId: 5,
        name: 'Squat',
        previous: null,
        sets: [
          set({ type: 'warmup', weight: '135', reps: '5', done: true }),
          set({ weight: '225', reps: '5', rpe: '8.3', done: true }),
          set({ weight: '225', reps: '', done: false }),
        ],
      },
      { key: 'b', templateId: 6, name: 'Plank', previous: null, sets: [set({})] },
    );
    const body = workoutBody(draft, new Date('2026-12-07T08:00:00Z'));
    expect(body.client_id).toBe(draft.clientId);
    expect(body.ended_at).toBe('2026-12-07T08:00:00.000Z');
    expect(body.exercises).toEqual([
      {
        template_id: 5,
        sets: [
          { type: 'warmup', weight_kg: 61.235, reps: 5, rpe: null, completed: true },
          { type: 'normal', weight_kg: 102.058, reps: 5, rpe: 8.5, completed: true },
        ],
      },
    ]);
    expect(totals(body)).toEqual({ durationS: 3600, volumeKg: 102.058 * 5, sets: 2 });
  });

  it('repeats a past workout with its sets, in the lifter unit, nothing done', () => {
    const past = {
      id: 9,
      title: 'Push day',
      exercises: [
        {
          position: 0,
          template_id: 1,
          name: 'Bench Press',
          notes: null,
          superset: null,
          sets: LAST_TIME,
        },
      ],
    } as unknown as Workout;
    const draft = repeatWorkout(past, new Date(), 'kg');
    expect(draft.title).toBe('Push day');
    expect(draft.exercises[0]?.previous).toBe(LAST_TIME);
    expect(draft.exercises[0]?.sets.map((s) => [s.type, s.weight, s.reps, s.done])).toEqual([
      ['warmup', '40', '10', false],
      ['normal', '80', '8', false],
      ['normal', '82.5', '6', false],
    ]);
  });
});
