import { describe, expect, it } from 'vitest';
import { CredentialBudgets } from './budgets';

describe('CredentialBudgets', () => {
  it('allows rpm requests per minute and refuses the next until the minute turns', () => {
    const budgets = new CredentialBudgets();
    const budget = { rpm: 3, tpm: null };
    const t0 = 120_000;
    expect([1, 2, 3, 4].map(() => budgets.tryAcquire('c', budget, t0 + 10))).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(budgets.nextWindowAt(t0 + 10)).toBe(180_000);
    expect(budgets.tryAcquire('c', budget, 180_000)).toBe(true);
  });

  it('refuses once the minute has used tpm tokens, and counts per credential', () => {
    const budgets = new CredentialBudgets();
    const budget = { rpm: null, tpm: 1000 };
    expect(budgets.tryAcquire('c', budget, 0)).toBe(true);
    budgets.recordTokens('c', budget, 600, 10);
    expect(budgets.tryAcquire('c', budget, 20)).toBe(true);
    budgets.recordTokens('c', budget, 500, 30);
    expect(budgets.tryAcquire('c', budget, 40)).toBe(false);
    expect(budgets.tryAcquire('other', budget, 40)).toBe(true);
    expect(budgets.tryAcquire('c', budget, 60_000)).toBe(true);
  });

  it('never limits a credential without budgets', () => {
    const budgets = new CredentialBudgets();
    for (let i = 0; i < 1000; i++) expect(budgets.tryAcquire('c', { rpm: null, tpm: null }, 0)).toBe(true);
  });
});
