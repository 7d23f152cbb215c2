import type { WeightUnit } from '../api/trainingTypes';

/** One pound in kilograms (exact, by definition). */
export const KG_PER_LB = 0.45359237;

/** A weight stored in kilograms, in the lifter's unit, to 0.01. */
export function fromKg(kg: number, unit: WeightUnit): number {
  const value = unit === 'kg' ? kg : kg / KG_PER_LB;
  return Math.round(value * 100) / 100;
}

/** A weight typed in the lifter's unit, in kilograms as the API stores it (to 0.001 kg). */
export function toKg(value: number, unit: WeightUnit): number {
  const kg = unit === 'kg' ? value : value * KG_PER_LB;
  return Math.round(kg * 1000) / 1000;
}

export function formatWeight(kg: number, unit: WeightUnit): string {
  return `${fromKg(kg, unit).toLocaleString('en', { maximumFractionDigits: 1 })} ${unit}`;
}
