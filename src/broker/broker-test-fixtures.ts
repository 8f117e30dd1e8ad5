import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { PATIENTS } from '../../tests/sandbox/fixtures';
import { ORG_IDP } from '../../tests/sandbox/org-idp-fixtures';
import type { AuditEntry } from '../shared/audit';
import type { DpopKey } from '../shared/broker/dpop-proof';
import type { PatientContext } from '../shared/patient';

/** What the broker's tests launch with: John Smith, read as the extension reads him, for Dr Jones. */

export const john = PATIENTS[0]!;
export const patient: PatientContext = { nhsNumber: john.nhsNumber, birthDate: john.birthDate, name: { family: john.family, given: john.given } };
export const jones = ORG_IDP.users.find((u) => u.username === 'dr.jones')!;

/** One audit entry as the broker writes it (a launch of John Smith's record by Dr Jones), with `overrides`. */
export const auditEntry = (overrides: Partial<AuditEntry & { installation?: string }> = {}): AuditEntry & { installation?: string } => ({
  time: '2025-03-04T05:06:07.089Z',
  event: 'launch',
  clinician: 'dr.jones',
  partnerId: 'black-pear',
  nhsNumber: '9434765919',
  outcome: 'ok',
  ms: 412,
  ...overrides,
});

/** A new installation's DPoP key, non-extractable as the extension makes it. */
export async function installationKey(): Promise<DpopKey> {
  const pair = await generateKeyPair('ES256', { extractable: false });
  return { key: pair.privateKey as CryptoKey, jwk: (await exportJWK(pair.publicKey)) as JWK, alg: 'ES256' };
}
