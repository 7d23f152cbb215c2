import type { WeightUnit } from '../api/trainingTypes';
import { DEFAULT_BARBELL, type BarbellSetup } from './plates';
import { STORAGE_KEYS, readJson, writeJson } from './storage';

export interface LogSettings {
  unit: WeightUnit;
  restSeconds: number;
  /** Bar weight and the plates at hand, per unit, for the plate calculator. */
  barbell: Record<WeightUnit, BarbellSetup>;
}

export const DEFAULT_SETTINGS: LogSettings = {
  unit: 'kg',
  restSeconds: 90,
  barbell: DEFAULT_BARBELL,
};

function barbellOf(stored: Partial<BarbellSetup> | undefined, unit: WeightUnit): BarbellSetup {
  const fallback = DEFAULT_BARBELL[unit];
  return {
    bar: typeof stored?.bar === 'number' && stored.bar >= 0 ? stored.bar : fallback.bar,
    plates: Array.isArray(stored?.plates) ? stored.plates : fallback.plates,
  };
}

export function loadSettings(storage?: Storage): LogSettings {
  const stored = readJson<Partial<LogSettings>>(STORAGE_KEYS.settings, storage) ?? {};
  // Settings saved before the plate calculator existed have no `barbell`: defaults fill in.
  return {
    ...DEFAULT_SETTINGS,
    ...stored,
    barbell: {
      kg: barbellOf(stored.barbell?.kg, 'kg'),
      lb: barbellOf(stored.barbell?.lb, 'lb'),
    },
  };
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
