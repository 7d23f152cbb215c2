import { describe, expect, it } from 'vitest';
import {
  extendRest,
  formatClock,
  formatDuration,
  loadRest,
  secondsLeft,
  startRest,
  stopRest,
} from './restTimer';

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

  it('never shows more than the rest set, and can be lengthened past it', () => {
    const timer = startRest(90, 10_000, localStorage);
    expect(secondsLeft(timer, 9_600)).toBe(90);
    const longer = extendRest(timer, 15, 10_000);
    expect(secondsLeft(longer, 10_000)).toBe(105);
    expect(secondsLeft(extendRest(longer, -600, 10_000), 10_000)).toBe(0);
  });

  it('formats workout lengths for people', () => {
    expect(formatDuration(30)).toBe('under a minute');
    expect(formatDuration(45 * 60 + 10)).toBe('45 min');
    expect(formatDuration(65 * 60)).toBe('1 h 05 min');
  });

  it('formats minutes and seconds', () => {
    expect(formatClock(90)).toBe('1:30');
    expect(formatClock(5)).toBe('0:05');
    expect(formatClock(3725)).toBe('1:02:05');
  });
});
