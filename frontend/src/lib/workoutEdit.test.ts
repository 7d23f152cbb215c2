import { describe, expect, it } from 'vitest';
import { patchOf, toLocalInput } from './workoutEdit';

describe('workout edit', () => {
  it('round-trips a time through the datetime-local field', () => {
    const local = toLocalInput('2025-03-03T07:30:00Z');
    expect(local).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
    expect(new Date(local).toISOString()).toBe('2025-03-03T07:30:00.000Z');
    expect(toLocalInput(null)).toBe('');
  });

  it('builds the PATCH body with a trimmed title and empty notes as null', () => {
    const start = toLocalInput('2025-03-03T07:30:00Z');
    const end = toLocalInput('2025-03-03T08:30:00Z');
    expect(patchOf({ title: ' Legs ', notes: '', startedAt: start, endedAt: end })).toEqual({
      patch: {
        title: 'Legs',
        notes: null,
        started_at: '2025-03-03T07:30:00.000Z',
        ended_at: '2025-03-03T08:30:00.000Z',
      },
    });
    expect(patchOf({ title: 'Legs', notes: 'x', startedAt: start, endedAt: '' })).toMatchObject({
      patch: { ended_at: null, notes: 'x' },
    });
  });

  it('says what to fix', () => {
    const start = toLocalInput('2025-03-03T07:30:00Z');
    const before = toLocalInput('2025-03-03T06:30:00Z');
    expect(patchOf({ title: ' ', notes: '', startedAt: start, endedAt: '' })).toEqual({
      problem: 'Give the workout a title.',
    });
    expect(patchOf({ title: 'A', notes: '', startedAt: start, endedAt: before })).toEqual({
      problem: 'The workout cannot end before it started.',
    });
    expect(patchOf({ title: 'A', notes: '', startedAt: '', endedAt: '' })).toEqual({
      problem: 'Enter when the workout started.',
    });
  });
});
