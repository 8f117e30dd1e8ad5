/**
 * Checks a landing path a partner will redirect to after sign-in (PKB's `redirect_uri`). Only a same-site
 * relative path may pass: anything a browser could read as another origin or a script is refused, including
 * percent-encoded disguises, which are decoded until stable and checked at every step.
 */

const MAX_DECODE_ROUNDS = 5;
const MAX_LENGTH = 2000;

function layerProblem(layer: string, raw: boolean): string | undefined {
  if (!layer.startsWith('/')) return 'must start with /';
  if (layer.startsWith('//')) return 'must not start with // (another site)';
  if (layer.includes('\\')) return 'must not contain a backslash';
  // Browsers drop tabs and newlines from URLs, which can turn "/\t/evil" into "//evil". A raw path has no
  // spaces either; an encoded space (%20) in a query is ordinary.
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(layer) || (raw && /\s/.test(layer))) return 'must not contain spaces or control characters';
  if (/(^|[^a-z0-9])(javascript|data|vbscript):/i.test(layer)) return 'must not contain a script address';
  return undefined;
}

/** Why `path` is not a safe relative landing path, or undefined when it is. */
export function relativePathProblem(path: string): string | undefined {
  if (path.length === 0) return 'is empty';
  if (path.length > MAX_LENGTH) return `is longer than ${MAX_LENGTH} characters`;
  let layer = path;
  for (let round = 0; round <= MAX_DECODE_ROUNDS; round++) {
    const problem = layerProblem(layer, round === 0);
    if (problem) return problem;
    let decoded: string;
    try {
      decoded = decodeURIComponent(layer);
    } catch {
      return 'has a broken %-encoding';
    }
    if (decoded === layer) return undefined;
    layer = decoded;
  }
  return 'is encoded too many times';
}

export function isSafeRelativePath(path: string): boolean {
  return relativePathProblem(path) === undefined;
}
