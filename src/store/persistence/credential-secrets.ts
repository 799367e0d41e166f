/**
 * Sealing credential secrets on their way into the credentials table and opening them on the way
 * out, with the store's SecretSealer (identity without a master key, AES-GCM with one).
 */
import type { CredentialRecord } from '../../control-plane/model';
import { SecretEnvelopeError, isSealed } from '../../control-plane/secret-envelope';
import type { SecretSealer } from '../../control-plane/secret-envelope';
import { credentialFromRow, credentialToRow } from './rows';
import type { CredentialsTable } from './schema';

/**
 * Opens every secret; a secret that cannot be opened fails the whole load with an error naming
 * the credential as `provider/label`, since a half-loaded control plane would silently drop it.
 */
export async function openCredentials(
  rows: readonly CredentialsTable[],
  providerNames: ReadonlyMap<string, string>,
  sealer: SecretSealer,
): Promise<CredentialRecord[]> {
  // All settled, then the first failure in row order: which credential an error names must not
  // depend on which decryption happened to finish first.
  const opened = await Promise.allSettled(
    rows.map(async (row) => {
      let json: string;
      try {
        json = await sealer.open(row.id, row.secret);
      } catch (error) {
        if (!(error instanceof SecretEnvelopeError)) throw error;
        const name = `"${providerNames.get(row.provider_id) ?? row.provider_id}/${row.label}"`;
        throw new SecretEnvelopeError(row.id, error.reason, name);
      }
      return credentialFromRow(row, json);
    }),
  );
  return opened.map((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  });
}

/**
 * Rows to store. A secret whose stored form already opens to the same value, in the form this
 * sealer writes, keeps that stored form: re-sealing with a fresh IV on every save would rewrite
 * every credential row each time. Plaintext rows meeting a keyed sealer are sealed here, which is
 * how an installation that adds GPROXY_MASTER_KEY gets its old secrets encrypted.
 */
export async function sealCredentials(
  records: readonly CredentialRecord[],
  storedSecrets: ReadonlyMap<string, unknown>,
  sealer: SecretSealer,
): Promise<CredentialsTable[]> {
  return Promise.all(
    records.map(async (record) => {
      const json = JSON.stringify(record.secret);
      const before = storedSecrets.get(record.id);
      if (typeof before === 'string' && isSealed(before) === sealer.encrypts) {
        // A value that no longer opens (another key) is simply replaced by the new one.
        const opened = await sealer.open(record.id, before).catch(() => undefined);
        if (opened === json) return credentialToRow(record, before);
      }
      return credentialToRow(record, await sealer.seal(record.id, json));
    }),
  );
}
