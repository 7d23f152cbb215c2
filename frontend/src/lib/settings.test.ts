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
    expect(loadSettings(localStorage)).toMatchObject({ unit: 'kg', restSeconds: 90 });
    saveSettings({ ...loadSettings(localStorage), unit: 'lb', restSeconds: 120 }, localStorage);
    expect(loadSettings(localStorage)).toMatchObject({ unit: 'lb', restSeconds: 120 });
  });

  it('keeps the bar and plates per unit, with defaults for settings saved before them', () => {
    localStorage.setItem(
      'workout-tracker.settings',
      JSON.stringify({ unit: 'lb', restSeconds: 60 }),
    );
    expect(loadSettings(localStorage).barbell).toEqual({
      kg: { bar: 20, plates: [25, 20, 15, 10, 5, 2.5, 1.25] },
      lb: { bar: 45, plates: [45, 35, 25, 10, 5, 2.5] },
    });
    const settings = loadSettings(localStorage);
    saveSettings(
      { ...settings, barbell: { ...settings.barbell, kg: { bar: 15, plates: [20, 10] } } },
      localStorage,
    );
    expect(loadSettings(localStorage).barbell.kg).toEqual({ bar: 15, plates: [20, 10] });
    expect(loadSettings(localStorage).barbell.lb.bar).toBe(45);
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
