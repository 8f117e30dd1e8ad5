/**
 * A static check that a profile's regular expression cannot backtrack catastrophically (`^(a+)+$` on a long run
 * of "a" followed by "b" takes longer than the age of the universe). Profile regexes run in the content script
 * on text the EHR page controls, so one such regex would let a page freeze the reader.
 *
 * The rule, simple enough to explain to the person writing the profile: a group that repeats (`*`, `+`,
 * `{2,}`, `{2}`, ...: anything more than once) must not itself hold a quantifier of varying count (`?`, `*`,
 * `+`, `{1,3}`) or a `|` choice. That rules out nested repeats (`(a+)+`, `(a*)*`, `(.*a){20}`, `(a?){30}`)
 * and repeated choices that may overlap (`(a|a)*`); a repeated character class (`[ab]*`), a repeated plain
 * group (`(?:ab)+`), a fixed count inside (`(\d{3} )+`) and an optional group (`(?:Mr|Mrs)?`) are fine.
 * It may refuse a few safe regexes; it accepts none that nest repeats. One pass over the source: linear time.
 */

export const BACKTRACKING_MESSAGE =
  'could take too long on some pages: a repeated group must not hold a ?, *, + or {n,m} or a | choice (as in (a+)+, (a?){9}, (a|b)*); repeat a character class instead, like [ab]*';

interface Group {
  /** Holds a quantifier whose count varies (`?`, `*`, `+`, `{1,3}`): the ways to split a text multiply. */
  varies: boolean;
  chooses: boolean;
}

/** Where a `{...}` quantifier is at `start`: its counts (max Infinity for `{n,}`) and its end; null if it is not one. */
function braceQuantifier(source: string, start: number): { min: number; max: number; end: number } | null {
  const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(start, start + 24));
  if (!match) return null;
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : match[3] ? Number(match[3]) : Number.POSITIVE_INFINITY;
  return { min, max, end: start + match[0].length };
}

/** The index just past a `\` escape starting at `start` (`\p{L}`, `\u{1F600}`, `\k<name>` included). */
function escapeEnd(source: string, start: number): number {
  const kind = source[start + 1];
  const open = source[start + 2];
  if ((kind === 'p' || kind === 'P' || kind === 'u') && open === '{') {
    const close = source.indexOf('}', start + 3);
    return close < 0 ? source.length : close + 1;
  }
  if (kind === 'k' && open === '<') {
    const close = source.indexOf('>', start + 3);
    return close < 0 ? source.length : close + 1;
  }
  return start + 2;
}

/** The index just past a character class `[...]` starting at `start`. */
function classEnd(source: string, start: number): number {
  let i = start + 1;
  if (source[i] === '^') i += 1;
  while (i < source.length && source[i] !== ']') i = source[i] === '\\' ? escapeEnd(source, i) : i + 1;
  return i + 1;
}

/** The index just past a group's opening: `(`, `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!`, `(?<name>`. */
function groupOpenEnd(source: string, start: number): number {
  if (source[start + 1] !== '?') return start + 1;
  if (source[start + 2] === '<' && source[start + 3] !== '=' && source[start + 3] !== '!') {
    const close = source.indexOf('>', start + 3);
    return close < 0 ? source.length : close + 1;
  }
  return source[start + 2] === '<' ? start + 4 : start + 3;
}

/** Why this regular expression source could backtrack catastrophically, or undefined when it passes the rule. */
export function backtrackingProblem(source: string): string | undefined {
  const stack: Group[] = [{ varies: false, chooses: false }];
  // The atom a quantifier would apply to: a closed group (with what it holds), another atom, or nothing.
  let last: Group | 'atom' | null = null;
  let i = 0;
  while (i < source.length) {
    const char = source[i]!;
    const current = stack[stack.length - 1]!;
    let min = 0;
    let max = 0;
    let next = i + 1;
    if (char === '*' || char === '+') max = Number.POSITIVE_INFINITY;
    else if (char === '?') max = 1;
    else if (char === '{') {
      const brace = braceQuantifier(source, i);
      if (brace) ({ min, max, end: next } = brace);
    }
    if (max > 0 && last !== null) {
      if (source[next] === '?') next += 1; // lazy: the same search space
      if (max > 1 && typeof last === 'object' && (last.varies || last.chooses)) return BACKTRACKING_MESSAGE;
      if (max !== min) current.varies = true;
      last = null;
      i = next;
      continue;
    }
    if (char === '\\') {
      last = 'atom';
      i = escapeEnd(source, i);
    } else if (char === '[') {
      last = 'atom';
      i = classEnd(source, i);
    } else if (char === '(') {
      stack.push({ varies: false, chooses: false });
      last = null;
      i = groupOpenEnd(source, i);
    } else if (char === ')') {
      const closed = stack.length > 1 ? stack.pop()! : { varies: false, chooses: false };
      // What a group holds, its enclosing group holds too: ((a+))+ nests as much as (a+)+.
      const parent = stack[stack.length - 1]!;
      parent.varies ||= closed.varies;
      parent.chooses ||= closed.chooses;
      last = closed;
      i += 1;
    } else {
      if (char === '|') current.chooses = true;
      last = char === '|' || char === '^' || char === '$' ? null : 'atom';
      i += 1;
    }
  }
  return undefined;
}
