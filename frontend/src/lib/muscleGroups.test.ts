import { describe, expect, it } from 'vitest';
import { groupLabel } from './muscleGroups';

describe('muscle group labels', () => {
  it.each([
    ['chest', 'Chest'],
    ['full_body', 'Full body'],
    ['other', 'Other'],
  ])('%s reads as %s', (group, label) => {
    expect(groupLabel(group)).toBe(label);
  });
});
