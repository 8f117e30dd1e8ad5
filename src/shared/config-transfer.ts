/**
 * How a configuration document travels from an options page to the background. Not as one message: the
 * router refuses any message over 64 KB (MAX_MESSAGE_BYTES, a guard against hostile pages), and a realistic
 * configuration (a Parchment partner with thousands of `patientIds`) is larger. So the page writes the
 * document's JSON text into storage.session, which only extension pages and the worker can read, under a key
 * of its own, and sends just that key; the background takes the text (reads and removes it) and validates it
 * as it would any document.
 */

export const STAGED_CONFIG_PREFIX = 'configImport:';
/** `configImport:` and a random UUID: one key per import, so two open options pages never mix documents. */
export const STAGED_CONFIG_KEY = /^configImport:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The largest document taken, in characters of JSON. Well under the 10 MB that storage.session and
 * storage.local each hold (local also keeps the audit trail), and far above any real configuration: a
 * Parchment map of 50,000 patients is about 2 MB.
 */
export const MAX_CONFIG_CHARS = 4_000_000;

/** A field-style error when the document's JSON text is too long to keep, else undefined. */
export function configSizeProblem(jsonLength: number): string | undefined {
  if (jsonLength <= MAX_CONFIG_CHARS) return undefined;
  const megabytes = (n: number) => `${(n / 1_000_000).toFixed(1)} MB`;
  return `(document): is ${megabytes(jsonLength)}, more than the ${megabytes(MAX_CONFIG_CHARS)} EHR Launchpad can keep: remove patientIds entries that are no longer needed`;
}
