/**
 * The secrets file: `{ "<partner id>": { "<secret name>": "<value>" } }`, the shape enterprise policy uses for
 * `secrets`. No message made here holds a value, and `redact` takes every value out of any text before it is
 * printed, so a value cannot reach the terminal through an error from elsewhere either.
 */

export interface PartnerSecret {
  partnerId: string;
  name: string;
  value: string;
}

export type SecretsResult = { ok: true; secrets: PartnerSecret[] } | { ok: false; errors: string[] };

// The same rules as the extension's secret.set message (src/shared/protocol.ts).
const PARTNER_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const SECRET_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;
const MAX_VALUE = 4096;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses the file's text. A JSON error is reported without the parser's message, which quotes the text. */
export function parseSecrets(text: string, file: string): SecretsResult {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return { ok: false, errors: [`${file} is not valid JSON (its text is not shown: it holds secrets)`] };
  }
  if (!isObject(document)) return { ok: false, errors: [`${file} must be a JSON object: {"<partner id>": {"<secret name>": "<value>"}}`] };
  const secrets: PartnerSecret[] = [];
  const errors: string[] = [];
  for (const [partnerId, named] of Object.entries(document)) {
    // Names come from the file and are printed: shown only when they follow the rules, so a value pasted in the wrong place is not.
    const partner = PARTNER_ID.test(partnerId) ? partnerId : null;
    if (!partner) {
      errors.push('a partner id in the secrets file is not one (lower-case letters, digits and dashes)');
      continue;
    }
    if (!isObject(named)) {
      errors.push(`${partner}: must be an object of secret names and values`);
      continue;
    }
    for (const [name, value] of Object.entries(named)) {
      if (!SECRET_NAME.test(name)) {
        errors.push(`${partner}: a secret name is not one (letters and digits, starting with a letter)`);
        continue;
      }
      if (typeof value !== 'string' || value.length === 0 || value.length > MAX_VALUE) {
        errors.push(`${partner}.${name}: the value must be text of 1 to ${MAX_VALUE} characters`);
        continue;
      }
      secrets.push({ partnerId: partner, name, value });
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, secrets };
}

/** The text with every secret value replaced, longest first (so a value holding another is taken whole). */
export function redact(text: string, values: readonly string[]): string {
  let out = text;
  for (const value of [...new Set(values)].filter((v) => v.length > 0).sort((a, b) => b.length - a.length)) {
    out = out.split(value).join('[secret]');
  }
  return out;
}
