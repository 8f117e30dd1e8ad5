import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const messages = JSON.parse(readFileSync(join(root, 'public/_locales/en/messages.json'), 'utf8')) as Record<string, unknown>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Quoted keys in the first argument of each t(…), getMessage(…) or uiString(…) call, with where they are. */
function keysUsed(): { key: string; file: string }[] {
  return sourceFiles(join(root, 'src')).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return [...text.matchAll(/\b(?:t|getMessage|uiString)\(([^,)]*)/g)].flatMap((call) => {
      // Quoted words that are not keys: a map's index (`MAP[x ?? 'mark']`) and a compared value (`x === 'none'`).
      const argument = call[1]!.replace(/\[[^\]]*\]?/g, '').replace(/[!=]==?\s*'[^']*'/g, '');
      return [...argument.matchAll(/'([A-Za-z][A-Za-z0-9_]*)'/g)].map((quoted) => ({ key: quoted[1]!, file: file.slice(root.length + 1) }));
    });
  });
}

// Keys typed as MessageKey are checked by the compiler; this also covers the background's direct
// getMessage calls and the manifest, which the compiler does not see.
describe('message keys', () => {
  it('every key written in src exists in the default locale', () => {
    const used = keysUsed();
    expect(used.length).toBeGreaterThan(100);
    expect(used.filter(({ key }) => !(key in messages))).toEqual([]);
  });

  it('every __MSG_…__ in the manifest exists in the default locale', () => {
    const manifest = readFileSync(join(root, 'manifest.json'), 'utf8');
    const keys = [...manifest.matchAll(/__MSG_([A-Za-z0-9_]+)__/g)].map((m) => m[1]!);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((key) => !(key in messages))).toEqual([]);
  });
});
