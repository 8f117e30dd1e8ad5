import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Every user-facing string of the launch bar, the popup, the options page and the launch messages comes from
 * public/_locales (the README says so, and a translation must reach all of them). This fails on English written
 * into the code instead: JSX text, a capitalised phrase in a string, an unlocalised aria-label/title/placeholder,
 * and a LaunchError without its _locales wording.
 */

const ROOT = join(__dirname, '..', '..');

function filesUnder(dir: string, test: (name: string) => boolean): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && test(entry.name) && !/\.test\.tsx?$/.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/** Where the bar and the extension pages draw text for people. */
const UI_FILES = [
  ...filesUnder('src/content', (name) => /^launch-bar.*\.ts$/.test(name) && name !== 'launch-bar-style.ts'),
  'src/background/page/bar-state.ts',
  'src/background/page/partner-readiness.ts',
  'src/background/launch/launch-refusals.ts',
  ...filesUnder('src/popup', (name) => name.endsWith('.tsx')),
  ...filesUnder('src/options', (name) => name.endsWith('.tsx')),
];

/**
 * Strings written for people on purpose, each with its reason. Keep it short: anything else goes to _locales.
 */
const ALLOWED = new Set<string>([
  // An example address in a placeholder: the same in every language.
  'https://ehr.example-trust.nhs.uk',
  // Protocol names an administrator types or sends as they are.
  '· acr_values',
  'JWKS',
]);

/**
 * Files with English still to move to _locales, owned by the popup and options work under way (issue 19, items
 * 4, 5 and 8). Listed here so the test stays on in CI and names them; remove each file once it is clean.
 */
const KNOWN_TO_FIX = new Set<string>([]);

/** Attributes whose value a person reads or hears. */
const SPOKEN_ATTRIBUTES = new Set(['aria-label', 'aria-description', 'title', 'placeholder', 'alt']);

/** Two words of letters, the first capitalised: "Sign in", "Not set up". Not keys, selectors, CSS or ids. */
const PHRASE = /^[^A-Za-z]*[A-Z][a-z']*[ \u00a0]+[A-Za-z]/;
/** In a template's text around its values, a capitalised word beside a space is enough: `NHS ${number}`. */
const TEMPLATE_WORD = /\b[A-Z][A-Za-z]*[ \u00a0]|[ \u00a0][A-Z][A-Za-z]+\b/;

interface Finding {
  file: string;
  line: number;
  text: string;
}

function isTCall(node: ts.Node): boolean {
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 't';
}

/** Inside a t(…) call, an import, or a type: not text drawn for people. */
function exempt(node: ts.Node): boolean {
  for (let at: ts.Node | undefined = node.parent; at; at = at.parent) {
    if (isTCall(at) || ts.isImportDeclaration(at) || ts.isExportDeclaration(at) || ts.isTypeNode(at) || ts.isLiteralTypeNode(at)) return true;
  }
  return false;
}

export function hardCodedStrings(file: string, source: string): Finding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: Finding[] = [];
  const add = (node: ts.Node, text: string) => {
    const trimmed = text.trim();
    if (ALLOWED.has(trimmed)) return;
    found.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: trimmed });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isJsxText(node) && /[A-Za-z]{2,}/.test(node.text)) add(node, node.text);
    else if (ts.isJsxAttribute(node) && SPOKEN_ATTRIBUTES.has(node.name.getText()) && node.initializer && ts.isStringLiteral(node.initializer) && /[A-Za-z]{2,}/.test(node.initializer.text)) {
      add(node, node.initializer.text);
    } else if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && PHRASE.test(node.text) && !exempt(node)) {
      add(node, node.text);
    } else if ((ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) && TEMPLATE_WORD.test(node.text) && !exempt(node)) {
      add(node, node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** `new LaunchError(code, english)` without its _locales wording: the clinician would read the English. */
export function unwordedLaunchErrors(file: string, source: string): Finding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: Finding[] = [];
  const visit = (node: ts.Node): void => {
    const constructs = ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'LaunchError';
    if (constructs && (node.arguments?.length ?? 0) < 3) {
      found.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: node.getText().slice(0, 80) });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** Errors thrown to extension pages for administrators rather than launches; still to word (see the report). */
const LAUNCH_ERRORS_KNOWN_TO_FIX = new Set<string>([]);

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const describeFindings = (findings: Finding[]) => findings.map((f) => `${f.file}:${f.line}  ${JSON.stringify(f.text)}`).join('\n');

describe('user-facing strings come from _locales', () => {
  it('the bar, popup, options page and readiness reasons have no English written into the code', () => {
    const findings = UI_FILES.filter((file) => !KNOWN_TO_FIX.has(file)).flatMap((file) => hardCodedStrings(file, read(file)));
    expect(describeFindings(findings)).toBe('');
  });

  it('every LaunchError carries its _locales wording', () => {
    const files = filesUnder('src', (name) => /\.tsx?$/.test(name)).filter((file) => !LAUNCH_ERRORS_KNOWN_TO_FIX.has(file));
    const findings = files.flatMap((file) => unwordedLaunchErrors(file, read(file)));
    expect(describeFindings(findings)).toBe('');
  });

  it('the files still to fix do still have English (so each is taken off the list as soon as it is clean)', () => {
    for (const file of KNOWN_TO_FIX) expect(hardCodedStrings(file, read(file)), file).not.toEqual([]);
    for (const file of LAUNCH_ERRORS_KNOWN_TO_FIX) expect(unwordedLaunchErrors(file, read(file)), file).not.toEqual([]);
  });

  it('finds the kinds of hard-coded text it is for, and leaves keys, selectors and t() alone', () => {
    const tsx = `const a = <p>Sign in first</p>; const b = <b aria-label="Close">{t('barTitle')}</b>;
      const c = 'Not set up on this computer'; const d = \`Open \${name} now\`; const e = t('barOpenIn', 'Ignored here');
      const f = 'button[data-partner="x"]'; const g = 'barTitle'; const h = <i className="hint">{x}</i>;`;
    expect(hardCodedStrings('x.tsx', tsx).map((f) => f.text)).toEqual(['Sign in first', 'Close', 'Not set up on this computer', 'Open']);
    expect(unwordedLaunchErrors('x.ts', `new LaunchError('a', 'b'); new LaunchError('a', 'b', ['launchNoPatient']);`)).toHaveLength(1);
  });
});
