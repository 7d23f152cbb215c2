import type { WeightUnit } from '../api/trainingTypes';

/** What a barbell is loaded with: the bar and the plates the gym has, in one unit. */
export interface BarbellSetup {
  bar: number;
  /** Plate weights available (each in pairs, one per side), any order. */
  plates: number[];
}

export const DEFAULT_BARBELL: Record<WeightUnit, BarbellSetup> = {
  kg: { bar: 20, plates: [25, 20, 15, 10, 5, 2.5, 1.25] },
  lb: { bar: 45, plates: [45, 35, 25, 10, 5, 2.5] },
};

/** Every plate weight a lifter may tick in Settings, heaviest first. */
export const PLATE_CHOICES: Record<WeightUnit, number[]> = {
  kg: [25, 20, 15, 10, 5, 2.5, 2, 1.25, 1, 0.5],
  lb: [55, 45, 35, 25, 15, 10, 5, 2.5, 1.25],
};

export type PlateLoad =
  /** The weight is below the bar (or no weight): nothing can be loaded. */
  | { kind: 'below-bar'; target: number; bar: number }
  /** `perSide` heaviest first; `total` is what the bar then weighs (≤ target). */
  | {
      kind: 'loaded';
      target: number;
      bar: number;
      perSide: number[];
      total: number;
      exact: boolean;
    };

// Weights are counted in thousandths so 1.25 + 1.25 + … never drifts.
const SCALE = 1000;
const units = (weight: number) => Math.round(weight * SCALE);

/**
 * The plates per side for `target` on this bar: greedy, heaviest plate first. For the usual
 * denominations (25/20/15/10/5/2.5/1.25 kg, 45/35/25/10/5/2.5 lb) that is the fewest plates
 * and exact whenever the weight can be made at all. When it cannot, the load is the nearest
 * lower weight that can.
 */
export function plateLoad(target: number, setup: BarbellSetup): PlateLoad {
  const bar = setup.bar;
  if (!Number.isFinite(target) || units(target) < units(bar)) {
    return { kind: 'below-bar', target, bar };
  }
  let left = Math.floor((units(target) - units(bar)) / 2);
  const perSide: number[] = [];
  const plates = [...new Set(setup.plates.map(units))].filter((p) => p > 0).sort((a, b) => b - a);
  for (const plate of plates) {
    while (left >= plate) {
      perSide.push(plate / SCALE);
      left -= plate;
    }
  }
  const loadedUnits = units(bar) + 2 * perSide.reduce((sum, plate) => sum + units(plate), 0);
  return {
    kind: 'loaded',
    target,
    bar,
    perSide,
    total: loadedUnits / SCALE,
    exact: loadedUnits === units(target),
  };
}

/** "2 × 20, 1 × 2.5" style groups: each plate weight with how many go on one side. */
export function groupPlates(perSide: number[]): { plate: number; count: number }[] {
  const groups: { plate: number; count: number }[] = [];
  for (const plate of perSide) {
    const last = groups[groups.length - 1];
    if (last && last.plate === plate) last.count += 1;
    else groups.push({ plate, count: 1 });
  }
  return groups;
}

export function formatPlate(weight: number): string {
  return weight.toLocaleString('en', { maximumFractionDigits: 2 });
}
