import { describe, expect, it } from 'vitest';
import { formatWeight, fromKg, toKg } from './units';

describe('weight units', () => {
  it('keeps kilograms as they are', () => {
    expect(toKg(82.5, 'kg')).toBe(82.5);
    expect(fromKg(82.5, 'kg')).toBe(82.5);
  });

  it('converts pounds both ways without drift', () => {
    expect(toKg(225, 'lb')).toBe(102.058);
    expect(fromKg(toKg(225, 'lb'), 'lb')).toBe(225);
    expect(fromKg(100, 'lb')).toBe(220.46);
  });

  it('formats with the unit', () => {
    expect(formatWeight(100, 'kg')).toBe('100 kg');
    expect(formatWeight(100, 'lb')).toBe('220.5 lb');
  });
});
