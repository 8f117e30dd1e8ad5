// @vitest-environment node
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';

/**
 * Checks the detection corpus itself, not any reader: the case list and the pages must agree, every
 * expected patient must be a possible one (valid NHS number, real date), and every page must be a
 * well-formed, self-contained document. Modulus 11 is written out here on purpose so that the corpus
 * does not lean on the code it is meant to judge.
 */

interface Expected {
  nhsNumber: string;
  birthDate: string | null;
  family: string;
  given: string;
}

interface Case {
  file: string;
  expect: Expected | null;
  tags: string[];
  needs?: string[];
  note: string;
}

const root = fileURLToPath(new URL('.', import.meta.url));
const pagesDir = join(root, 'pages');
const cases = JSON.parse(readFileSync(join(root, 'cases.json'), 'utf8')) as Case[];
const positives = cases.filter((c) => c.expect !== null);
const negatives = cases.filter((c) => c.expect === null);

const MIN_BYTES = 2 * 1024;
const MAX_BYTES = 15 * 1024;
const VOID_ELEMENTS = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr',
]);

function passesModulus11(nhs: string): boolean {
  if (!/^\d{10}$/.test(nhs)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nhs[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(nhs[9]);
}

function isRealIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function readPage(file: string): string {
  return readFileSync(join(pagesDir, file), 'utf8');
}

/** Frame documents a page loads, as paths relative to pages/. */
function frameSources(html: string): string[] {
  return [...html.matchAll(/<iframe\b[^>]*\bsrc="([^"]+)"/gi)].map((m) => m[1] ?? '');
}

/** The page's source plus the source of every frame document it loads. */
function sourceWithFrames(file: string): string {
  const html = readPage(file);
  return [html, ...frameSources(html).map(readPage)].join('\n');
}

/** Unclosed or mismatched tags, after setting aside comments, scripts and styles. */
function tagBalanceProblems(html: string): string[] {
  const stripped = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<script\b[\s\S]*?<\/script>/gi, '<script></script>')
    .replace(/<style\b[\s\S]*?<\/style>/gi, '<style></style>');
  const stack: string[] = [];
  const problems: string[] = [];
  for (const match of stripped.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*>/g)) {
    const closing = match[1] === '/';
    const name = (match[2] ?? '').toLowerCase();
    if (VOID_ELEMENTS.has(name)) continue;
    if (!closing) {
      stack.push(name);
    } else if (stack[stack.length - 1] === name) {
      stack.pop();
    } else {
      problems.push(`</${name}> while <${stack[stack.length - 1] ?? 'nothing'}> is open`);
      break;
    }
  }
  if (problems.length === 0 && stack.length > 0) problems.push(`unclosed <${stack.join('>, <')}>`);
  return problems;
}

/** A pattern for an NHS number written with any of the usual separators between its 3-3-4 groups. */
function nhsNumberPattern(nhs: string): RegExp {
  const sep = '(?:\\s|-|&nbsp;|&#160;|\\u00a0)?';
  return new RegExp(`${nhs.slice(0, 3)}${sep}${nhs.slice(3, 6)}${sep}${nhs.slice(6)}`);
}

describe('corpus case list', () => {
  it('has at least 84 positive and 29 negative pages', () => {
    expect(positives.length).toBeGreaterThanOrEqual(84);
    expect(negatives.length).toBeGreaterThanOrEqual(29);
  });

  it('names positives pNN-… and negatives nNN-…, each once', () => {
    const names = cases.map((c) => c.file);
    expect(new Set(names).size).toBe(names.length);
    for (const c of cases) {
      expect(c.file, c.file).toMatch(/^[pn]\d{2}-[a-z0-9-]+\.html$/);
      expect(c.file.startsWith('p'), c.file).toBe(c.expect !== null);
      expect(c.note.trim().length, c.file).toBeGreaterThan(10);
      expect(c.tags.length, c.file).toBeGreaterThan(0);
      for (const need of c.needs ?? []) expect(need, c.file).toBe('browser');
    }
  });

  it('lists every top-level page in pages/', () => {
    const onDisk = readdirSync(pagesDir).filter((f) => f.endsWith('.html')).sort();
    expect(onDisk).toEqual(cases.map((c) => c.file).sort());
  });

  it('expects only valid NHS numbers, real past birth dates and non-empty names', () => {
    const today = new Date().toISOString().slice(0, 10);
    for (const c of positives) {
      const e = c.expect as Expected;
      expect(passesModulus11(e.nhsNumber), `${c.file} ${e.nhsNumber}`).toBe(true);
      if (e.birthDate !== null) {
        expect(isRealIsoDate(e.birthDate), `${c.file} ${e.birthDate}`).toBe(true);
        expect(e.birthDate < today, c.file).toBe(true);
      }
      expect(e.family.trim(), c.file).not.toBe('');
      expect(e.given.trim(), c.file).not.toBe('');
    }
  });

  it('uses a different NHS number on every positive page', () => {
    const numbers = positives.map((c) => (c.expect as Expected).nhsNumber);
    expect(new Set(numbers).size).toBe(numbers.length);
  });
});

describe('corpus pages', () => {
  it.each(cases.map((c) => [c.file] as const))('%s is a small, well-formed, self-contained document', (file) => {
    const path = join(pagesDir, file);
    expect(existsSync(path)).toBe(true);
    const size = statSync(path).size;
    expect(size).toBeGreaterThanOrEqual(MIN_BYTES);
    expect(size).toBeLessThanOrEqual(MAX_BYTES);

    const html = readPage(file);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toMatch(/<html lang="[a-z]{2}-[A-Z]{2}">/);
    expect(html).toMatch(/<meta charset="utf-8">/);
    expect(tagBalanceProblems(html)).toEqual([]);
    expect(html).not.toMatch(/\b(?:src|href|action)\s*=\s*["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/@import/i);

    const window = new Window();
    try {
      const doc = new window.DOMParser().parseFromString(html, 'text/html');
      expect(doc.title.trim()).not.toBe('');
      expect(doc.body.children.length).toBeGreaterThan(0);
    } finally {
      void window.happyDOM.close();
    }
  });

  it('loads frames only from frames/, and every frame document is used and well-formed', () => {
    const framesDir = join(pagesDir, 'frames');
    const used = new Set<string>();
    for (const c of cases) {
      for (const src of frameSources(readPage(c.file))) {
        expect(src, c.file).toMatch(/^frames\/[a-z0-9-]+\.html$/);
        expect(existsSync(join(pagesDir, src)), src).toBe(true);
        expect(c.needs, `${c.file} loads a frame`).toContain('browser');
        used.add(src.slice('frames/'.length));
      }
    }
    for (const file of readdirSync(framesDir)) {
      expect(used.has(file), `frames/${file} is not loaded by any page`).toBe(true);
      const html = readFileSync(join(framesDir, file), 'utf8');
      expect(html.startsWith('<!DOCTYPE html>'), file).toBe(true);
      expect(tagBalanceProblems(html), file).toEqual([]);
    }
  });

  it('shows each positive page its expected NHS number, family name and birth year', () => {
    for (const c of positives) {
      const e = c.expect as Expected;
      const source = sourceWithFrames(c.file);
      expect(source, `${c.file} NHS number`).toMatch(nhsNumberPattern(e.nhsNumber));
      expect(source.toLowerCase(), `${c.file} family name`).toContain(e.family.toLowerCase());
      expect(source, `${c.file} given name`).toContain(e.given.split(' ')[0] as string);
      if (e.birthDate !== null) expect(source, `${c.file} birth year`).toContain(e.birthDate.slice(0, 4));
    }
  });

  it('gives the bad-check-digit page a number that fails Modulus 11', () => {
    for (const c of cases.filter((x) => x.tags.includes('bad-check-digit'))) {
      const candidates = [...readPage(c.file).matchAll(/\b\d{3} \d{3} \d{4}\b/g)].map((m) => m[0].replace(/ /g, ''));
      expect(candidates.length, c.file).toBeGreaterThan(0);
      expect(candidates.every((n) => !passesModulus11(n)), c.file).toBe(true);
    }
  });

  it('has no two byte-identical pages', () => {
    const digests = cases.map((c) => createHash('sha256').update(readPage(c.file)).digest('hex'));
    expect(new Set(digests).size).toBe(digests.length);
  });
});
