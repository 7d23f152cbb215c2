import type { WeightUnit } from '../api/trainingTypes';
import { STORAGE_KEYS, readJson, writeJson } from './storage';

export interface LogSettings {
  unit: WeightUnit;
  restSeconds: number;
}

export const DEFAULT_SETTINGS: LogSettings = { unit: 'kg', restSeconds: 90 };

export function loadSettings(storage?: Storage): LogSettings {
  return { ...DEFAULT_SETTINGS, ...readJson<Partial<LogSettings>>(STORAGE_KEYS.settings, storage) };
}

export function saveSettings(settings: LogSettings, storage?: Storage): void {
  writeJson(STORAGE_KEYS.settings, settings, storage);
}

const RECENT_LIMIT = 30;

/** Library ids the lifter picked lately, most recent first, to list them first. */
export function recentExercises(storage?: Storage): number[] {
  return readJson<number[]>(STORAGE_KEYS.recentExercises, storage) ?? [];
}

export function rememberExercise(id: number, storage?: Storage): void {
  const ids = [id, ...recentExercises(storage).filter((other) => other !== id)];
  writeJson(STORAGE_KEYS.recentExercises, ids.slice(0, RECENT_LIMIT), storage);
}

/** Search results with recently used exercises first, otherwise in the API's order. */
export function recentFirst<T extends { id: number }>(items: T[], recent: number[]): T[] {
  const rank = (id: number) => {
    const index = recent.indexOf(id);
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  };
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => rank(a.item.id) - rank(b.item.id) || a.index - b.index)
    .map(({ item }) => item);
}
