import { describe, expect, it } from 'vitest';
import { DEFAULT_BARBELL, groupPlates, plateLoad } from './plates';

describe('plate loading', () => {
  it('loads an exact kilogram weight heaviest plate first', () => {
    expect(plateLoad(142.5, DEFAULT_BARBELL.kg)).toEqual({
      kind: 'loaded',
      target: 142.5,
      bar: 20,
      perSide: [25, 25, 10, 1.25],
      total: 142.5,
      exact: true,
    });
  });

  it('loads the bar alone at the bar weight', () => {
    const load = plateLoad(20, DEFAULT_BARBELL.kg);
    expect(load).toMatchObject({ kind: 'loaded', perSide: [], total: 20, exact: true });
  });

  it('says an inexact weight is not loadable and gives the nearest lower weight', () => {
    expect(plateLoad(101, DEFAULT_BARBELL.kg)).toMatchObject({
      kind: 'loaded',
      perSide: [25, 15],
      total: 100,
      exact: false,
    });
    // 1.25 kg plates make 2.5 kg steps: 63.75 cannot be made, 62.5 can.
    expect(plateLoad(63.75, DEFAULT_BARBELL.kg)).toMatchObject({ total: 62.5, exact: false });
  });

  it('refuses weights below the bar', () => {
    expect(plateLoad(15, DEFAULT_BARBELL.kg)).toEqual({ kind: 'below-bar', target: 15, bar: 20 });
    expect(plateLoad(Number.NaN, DEFAULT_BARBELL.kg).kind).toBe('below-bar');
  });

  it('loads pounds with the pound plates', () => {
    expect(plateLoad(315, DEFAULT_BARBELL.lb)).toMatchObject({
      perSide: [45, 45, 45],
      total: 315,
      exact: true,
    });
    expect(plateLoad(230, DEFAULT_BARBELL.lb)).toMatchObject({
      perSide: [45, 45, 2.5],
      total: 230,
      exact: true,
    });
    expect(plateLoad(232, DEFAULT_BARBELL.lb)).toMatchObject({ total: 230, exact: false });
  });

  it('uses only the plates the lifter has, and another bar', () => {
    expect(plateLoad(100, { bar: 15, plates: [20, 10, 2.5] })).toMatchObject({
      perSide: [20, 20, 2.5],
      total: 100,
      exact: true,
    });
  });

  it('groups equal plates for reading', () => {
    expect(groupPlates([25, 25, 10, 1.25])).toEqual([
      { plate: 25, count: 2 },
      { plate: 10, count: 1 },
      { plate: 1.25, count: 1 },
    ]);
  });
});
