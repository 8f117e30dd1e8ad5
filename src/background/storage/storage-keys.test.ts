import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { storageKeys } from './storage-keys';

const entries = Object.entries(storageKeys) as [string, { area: string; key?: string; prefix?: string; database?: string }][];

describe('the storage-key registry', () => {
  it('gives every key, prefix and database once, and no key falls under another entry\'s prefix', () => {
    const names = entries.map(([, e]) => `${e.area}:${e.key ?? e.prefix ?? e.database}`);
    expect(new Set(names).size).toBe(names.length);
    for (const [name, entry] of entries) {
      if (!entry.key) continue;
      const shadowed = entries.filter(([other, e]) => other !== name && e.area === entry.area && e.prefix && entry.key!.startsWith(e.prefix));
      expect(shadowed.map(([other]) => other), name).toEqual([]);
    }
  });

  it('each one is in docs/architecture.md\'s storage table, in its area', () => {
    const doc = readFileSync(resolve(process.cwd(), 'docs/architecture.md'), 'utf8');
    const table = doc.slice(doc.indexOf('## Storage'), doc.indexOf('\n## ', doc.indexOf('## Storage') + 1));
    const rows = table.split('\n').filter((line) => line.startsWith('| '));
    for (const [name, entry] of entries) {
      const shown = entry.key ?? entry.prefix ?? entry.database!;
      const row = rows.find((line) => line.split('|')[1]!.includes(`\`${shown}`));
      expect(row, `${name} (${shown}) has no row`).toBeDefined();
      expect(row!.split('|')[2]!.trim(), `${name}'s area`).toBe(entry.area === 'indexeddb' ? 'IndexedDB' : entry.area);
    }
  });
});
