import { describe, expect, it } from 'vitest';
import { formatClock, loadRest, secondsLeft, startRest, stopRest } from './restTimer';

describe('rest timer', () => {
  it('counts down from its stored end time, however long the page slept', () => {
    const timer = startRest(90, 1_000_000, localStorage);
    expect(secondsLeft(timer, 1_000_000)).toBe(90);
    expect(secondsLeft(timer, 1_000_000 + 500)).toBe(90);
    expect(secondsLeft(timer, 1_000_000 + 30_000)).toBe(60);
    // The phone slept past the end: done, never negative.
    expect(secondsLeft(timer, 1_000_000 + 10 * 60_000)).toBe(0);
  });

  it('survives a reload through storage and stops', () => {
    startRest(120, 5_000, localStorage);
    const loaded = loadRest(localStorage);
    expect(loaded).toEqual({ endsAt: 125_000, seconds: 120 });
    expect(secondsLeft(loaded!, 65_000)).toBe(60);
    stopRest(localStorage);
    expect(loadRest(localStorage)).toBeNull();
  });

  it('formats minutes and seconds', () => {
    expect(formatClock(90)).toBe('1:30');
    expect(formatClock(5)).toBe('0:05');
    expect(formatClock(3725)).toBe('1:02:05');
  });
});
