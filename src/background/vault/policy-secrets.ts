/**
 * Partner secrets delivered by enterprise policy (chrome.storage.managed, key `secrets`):
 * `{ "<partner id>": { "<secret name>": "<value>" } }`. A malformed policy never stops the extension: each bad
 * entry is left out and reported (without its value), and the good ones are used.
 */

export type PolicySecrets = Record<string, Record<string, string>>;

export interface PolicySecretsReading {
  secrets: PolicySecrets;
  problems: string[];
}

const ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
const NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;
const MAX_VALUE = 4096;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readPolicySecrets(raw: unknown): PolicySecretsReading {
  const secrets: PolicySecrets = Object.create(null) as PolicySecrets;
  const problems: string[] = [];
  if (raw === undefined) return { secrets, problems };
  if (!isRecord(raw)) return { secrets, problems: ['policy "secrets" is not an object: ignored'] };
  for (const [partnerId, entries] of Object.entries(raw)) {
    if (!ID.test(partnerId)) {
      problems.push(`policy secrets: "${partnerId.slice(0, 40)}" is not a partner id: ignored`);
      continue;
    }
    if (!isRecord(entries)) {
      problems.push(`policy secrets.${partnerId} is not an object: ignored`);
      continue;
    }
    for (const [name, value] of Object.entries(entries)) {
      if (!NAME.test(name) || typeof value !== 'string' || value.length === 0 || value.length > MAX_VALUE) {
        problems.push(`policy secrets.${partnerId}.${name.slice(0, 64)} is not a usable secret: ignored`);
        continue;
      }
      (secrets[partnerId] ??= Object.create(null) as Record<string, string>)[name] = value;
    }
  }
  return { secrets, problems };
}
