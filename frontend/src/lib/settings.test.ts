import { describe, expect, it } from 'vitest';
import {
  loadSettings,
  recentFirst,
  rememberExercise,
  recentExercises,
  saveSettings,
} from './settings';

describe('log settings', () => {
  it('defaults to kilograms and 90 s of rest', () => {
    expect(loadSettings(localStorage)).toEqual({ unit: 'kg', restSeconds: 90 });
    saveSettings({ unit: 'lb', restSeconds: 120 }, localStorage);
    expect(loadSettings(localStorage)).toEqual({ unit: 'lb', restSeconds: 120 });
  });

  it('lists recently used exercises first', () => {
    rememberExercise(3, localStorage);
    rememberExercise(7, localStorage);
    rememberExercise(3, localStorage);
    expect(recentExercises(localStorage)).toEqual([3, 7]);
    const items = [{ id: 1 }, { id: 7 }, { id: 2 }, { id: 3 }];
    expect(recentFirst(items, [3, 7]).map((item) => item.id)).toEqual([3, 7, 1, 2]);
  });
});
