import { describe, expect, it } from 'vitest';
import { EFFORT_BUDGET, effortOf, readEffortLevel } from './reasoning-budget';

describe('effortOf', () => {
  it('prefers the config effort, else maps the budget, else none', () => {
    expect(effortOf({ enabled: true, effort: 'low', budgetTokens: 99999 })).toBe('low');
    expect(effortOf({ enabled: true, budgetTokens: EFFORT_BUDGET.medium })).toBe('medium');
    expect(effortOf({ enabled: true })).toBeUndefined();
  });
});

describe('readEffortLevel', () => {
  it('reads the canonical levels as they are', () => {
    for (const level of ['minimal', 'low', 'medium', 'high'] as const) {
      expect(readEffortLevel(level)).toEqual({ effort: level });
    }
  });

  it('reads levels above high as high, naming what was approximated', () => {
    expect(readEffortLevel('xhigh')).toEqual({ effort: 'high', approximated: 'xhigh' });
    expect(readEffortLevel('max')).toEqual({ effort: 'high', approximated: 'max' });
  });

  it('is undefined for anything else', () => {
    for (const value of ['none', 'HIGH', undefined, null, 3]) expect(readEffortLevel(value)).toBeUndefined();
  });
});
