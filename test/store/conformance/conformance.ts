/**
 * The persistence conformance suite: everything the ControlPlaneStore port
 * (src/control-plane/ports.ts) promises, run against one backend. A backend's test file calls
 *
 *   describePersistenceConformance('PostgreSQL', open, { skipReason })
 *
 * where `open` creates a fresh, empty database (migrating it is part of what is tested) and returns
 * the store over it, a `reset` that empties every table between tests (`emptyAllTables` does that
 * for any Kysely database), and optionally `close`, which closes the store and drops what `open`
 * created. The cases live in ./control-plane-cases.ts, ./write-cases.ts, ./log-cases.ts,
 * ./billing-cases.ts and ./ledger-spend-cases.ts; they iterate over the collections
 * `loadControlPlane` returns where they can, so new tables are covered once the shared fixture
 * (test/store/fixtures.ts sampleData) has rows for them.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import type { KyselyControlPlaneStore } from '../../../src/store/persistence/kysely-store';
import { controlPlaneCases } from './control-plane-cases';
import { billingCases } from './billing-cases';
import { ledgerSpendCases } from './ledger-spend-cases';
import { logCases } from './log-cases';
import { writeCases } from './write-cases';

export interface ConformanceBackend {
  store: KyselyControlPlaneStore;
  /** Empties every table (the schema and the version row stay). */
  reset: () => Promise<void>;
  /** Closes the store and removes the database `open` created. Default: `store.close()`. */
  close?: () => Promise<void>;
}

export interface ConformanceOptions {
  /** When set, the suite is reported as skipped with this reason (never in CI). */
  skipReason?: string | undefined;
}

/** What the case files get: the backend under test, valid inside tests and hooks. */
export interface ConformanceContext {
  readonly backend: ConformanceBackend;
  /** The store; a shorthand for `backend.store`. */
  readonly store: KyselyControlPlaneStore;
}

export function describePersistenceConformance(
  name: string,
  open: () => Promise<ConformanceBackend>,
  options: ConformanceOptions = {},
): void {
  if (options.skipReason !== undefined) {
    describe.skip(`persistence conformance: ${name} (${options.skipReason})`, () => {
      it('is skipped', () => {});
    });
    return;
  }

  let current: ConformanceBackend | undefined;
  const context: ConformanceContext = {
    get backend() {
      if (current === undefined) throw new Error(`${name}: the backend did not open (see the first failure)`);
      return current;
    },
    get store() {
      return this.backend.store;
    },
  };

  describe(`persistence conformance: ${name}`, () => {
    let started = 0;
    beforeAll(async () => {
      started = performance.now();
      current = await open();
    });
    afterAll(async () => {
      const backend = current;
      current = undefined;
      if (backend !== undefined) await (backend.close ?? (() => backend.store.close()))();
      if (started > 0) {
        console.info(`[conformance] ${name}: ${Math.round(performance.now() - started)} ms`);
      }
    });
    beforeEach(async () => {
      await context.backend.reset();
    });

    controlPlaneCases(context);
    writeCases(context);
    logCases(context);
    billingCases(context);
    ledgerSpendCases(context);
  });
}
