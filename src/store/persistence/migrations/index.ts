/**
 * The migration list as a static record: the server is bundled into one file, so Kysely's
 * FileMigrationProvider (which scans a folder at run time) cannot be used. Kysely runs them in
 * name order, so names start with a zero-padded sequence number.
 */
import type { Migration, MigrationProvider } from 'kysely';
import { migration0001Initial } from './0001-initial';
import { migration0002ControlPlaneVersion } from './0002-control-plane-version';
import { migration0003CredentialSettings } from './0003-credential-settings';
import { migration0004ProviderModels } from './0004-provider-models';
import { migration0005Routing } from './0005-routing';
import { migration0006ConsoleAndAudit } from './0006-console-and-audit';
import { migration0007RequestLogs } from './0007-request-logs';
import { migration0008Tenancy } from './0008-tenancy';
import { migration0009Billing } from './0009-billing';
import { migration0010RateLimits } from './0010-rate-limits';
import { migration0011Quotas } from './0011-quotas';
import { migration0012RuleSets } from './0012-rule-sets';
import { migration0013CapturedResponses } from './0013-captured-responses';
import { migration0014RollupSubjectIndexes } from './0014-rollup-subject-indexes';

export const migrations: Readonly<Record<string, Migration>> = {
  '0001-initial': migration0001Initial,
  '0002-control-plane-version': migration0002ControlPlaneVersion,
  '0003-credential-settings': migration0003CredentialSettings,
  '0004-provider-models': migration0004ProviderModels,
  '0005-routing': migration0005Routing,
  '0006-console-and-audit': migration0006ConsoleAndAudit,
  '0007-request-logs': migration0007RequestLogs,
  '0008-tenancy': migration0008Tenancy,
  '0009-billing': migration0009Billing,
  '0010-rate-limits': migration0010RateLimits,
  '0011-quotas': migration0011Quotas,
  '0012-rule-sets': migration0012RuleSets,
  '0013-captured-responses': migration0013CapturedResponses,
  '0014-rollup-subject-indexes': migration0014RollupSubjectIndexes,
};

export class StaticMigrationProvider implements MigrationProvider {
  constructor(private readonly all: Readonly<Record<string, Migration>> = migrations) {}

  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve({ ...this.all });
  }
}
