import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/errors';
import type { Workout, WorkoutIn } from '../api/trainingTypes';
import { enqueue, flush, pending, retry } from './outbox';

function workout(clientId: string): WorkoutIn {
  return {
    title: 'Leg day',
    started_at: '2026-12-07T07:00:00Z',
    ended_at: '2026-12-07T08:00:00Z',
    client_id: clientId,
    exercises: [],
  };
}

const offline = new ApiError('network', 0, 'Cannot reach the Workout API.');

describe('offline outbox', () => {
  it('keeps a workout once per client_id until the API accepts it', async () => {
    enqueue(workout('a'), localStorage);
    enqueue(workout('a'), localStorage);
    expect(pending(localStorage)).toHaveLength(1);

    const send = vi.fn().mockRejectedValueOnce(offline);
    expect(await flush(send, localStorage)).toEqual({ sent: [], waiting: 1 });

    send.mockResolvedValueOnce({ id: 1 } as Workout);
    expect(await flush(send, localStorage)).toEqual({ sent: [{ id: 1 }], waiting: 0 });
    // Every attempt sent the same client_id, so a retry after a lost answer never duplicates.
    expect(send.mock.calls.map(([body]) => (body as WorkoutIn).client_id)).toEqual(['a', 'a']);
    expect(pending(localStorage)).toEqual([]);
  });

  it('stops at a transient failure and keeps the order', async () => {
    enqueue(workout('a'), localStorage);
    enqueue(workout('b'), localStorage);
    const send = vi
      .fn()
      .mockResolvedValueOnce({ id: 1 })
      .mockRejectedValueOnce(new ApiError('http', 503, 'down'));
    expect(await flush(send, localStorage)).toMatchObject({ waiting: 1 });
    expect(pending(localStorage).map((item) => item.workout.client_id)).toEqual(['b']);
  });

  it('keeps a refused workout with its reason instead of dropping it', async () => {
    enqueue(workout('a'), localStorage);
    const send = vi.fn().mockRejectedValue(new ApiError('http', 422, 'title: too long'));
    expect(await flush(send, localStorage)).toMatchObject({ waiting: 1 });
    expect(pending(localStorage)[0]?.error).toBe('title: too long');
    // A refused one is not resent on every flush, only after the lifter asks.
    await flush(send, localStorage);
    expect(send).toHaveBeenCalledTimes(1);
    retry('a', localStorage);
    expect(pending(localStorage)[0]?.error).toBeUndefined();
  });
});
