/** Names as EHR banners print them: "SMITH, John (Mr)", "John Smith", "Mr John SMITH". */

export interface PersonName {
  family: string;
  given: string;
  prefix?: string;
}

const PREFIXES = new Set(['mr', 'mrs', 'miss', 'ms', 'mx', 'dr', 'prof', 'sir', 'dame', 'rev', 'master', 'lady', 'lord']);
// Letters of any script, combining marks, apostrophes, hyphens and spaces: nothing else belongs in a name.
const NAME_CHARS = /^[\p{L}\p{M}'’\- .]+$/u;

function clean(part: string): string {
  return part.replace(/[\s\u00A0]+/gu, ' ').trim();
}

function titleCase(word: string): string {
  return word
    .toLowerCase()
    .replace(/(^|[\s'’\-])(\p{L})/gu, (_all, sep: string, letter: string) => sep + letter.toUpperCase());
}

/** SMITH becomes Smith; McDonald stays as the EHR wrote it. */
function tidyCase(part: string): string {
  return part === part.toUpperCase() ? titleCase(part) : part;
}

function stripPrefix(words: string[]): { prefix?: string; rest: string[] } {
  const first = words[0];
  if (first && PREFIXES.has(first.replace(/\.$/, '').toLowerCase()) && words.length > 1) {
    return { prefix: titleCase(first.replace(/\.$/, '')), rest: words.slice(1) };
  }
  return { rest: words };
}

export function parsePersonName(text: string): PersonName | null {
  let rest = clean(text);
  if (!rest || rest.length > 200) return null;
  let prefix: string | undefined;
  const bracket = /\(([^()]{1,20})\)\s*$/u.exec(rest);
  if (bracket) {
    // "(Mr)" is a title; "(Sandy)", a known-as name, is not part of the legal name at all.
    const inside = clean(bracket[1]!).replace(/\.$/, '');
    if (PREFIXES.has(inside.toLowerCase())) prefix = titleCase(inside);
    rest = clean(rest.slice(0, bracket.index));
  }
  let family: string;
  let given: string;
  const comma = rest.indexOf(',');
  if (comma >= 0) {
    family = clean(rest.slice(0, comma));
    given = clean(rest.slice(comma + 1));
    if (given.includes(',')) return null;
  } else {
    const words = rest.split(' ');
    const stripped = stripPrefix(words);
    if (stripped.prefix && !prefix) prefix = stripped.prefix;
    if (stripped.rest.length < 2) return null;
    // "Aoife NÍ BHRIAIN": a family name in capitals after given names in mixed case may be several words.
    const caps = (word: string) => /\p{Lu}/u.test(word) && word === word.toUpperCase();
    let split = stripped.rest.length - 1;
    if (!caps(stripped.rest[0]!)) while (split > 1 && caps(stripped.rest[split - 1]!)) split--;
    family = stripped.rest.slice(split).join(' ');
    given = stripped.rest.slice(0, split).join(' ');
  }
  if (!family || !given || !NAME_CHARS.test(family) || !NAME_CHARS.test(given)) return null;
  const name: PersonName = { family: tidyCase(family), given: tidyCase(given) };
  if (prefix) {
    if (!NAME_CHARS.test(prefix)) return null;
    name.prefix = prefix;
  }
  return name;
}

/** "John Smith": how the launch bar names the patient. */
export function displayName(name: PersonName): string {
  return `${name.given} ${name.family}`;
}
