/**
 * A static check that a profile's regular expression cannot backtrack catastrophically (`^(a+)+$` on a long run
 * of "a" followed by "b" takes longer than the age of the universe). Profile regexes run in the content script
 * on text the EHR page controls, so one such regex would let a page freeze the reader.
 *
 * The rule, simple enough to explain to the person writing the profile: a group that repeats (`*`, `+`,
 * `{2,}`, `{2}`, ...: anything more than once) must not itself hold a repeat or a `|` choice. That rules out
 * nested repeats (`(a+)+`, `(a*)*`, `(.*a){20}`) and repeated choices that may overlap (`(a|a)*`); a repeated
 * character class (`[ab]*`) or a repeated plain group (`(?:ab)+`) is fine, and `?` never counts as a repeat.
 * It may refuse a few safe regexes; it accepts none that nest repeats. One pass over the source: linear time.
 */

export const BACKTRACKING_MESSAGE =
  'could take too long on some pages: a repeated group must not hold another repeat or a | choice (as in (a+)+, (a*)*, (a|b)*); repeat a character class instead, like [ab]*';

interface Group {
  repeats: boolean;
  chooses: boolean;
}

/** Where a `{...}` quantifier is at `start`: its largest count (Infinity for `{n,}`) and its end; null if it is not one. */
function braceQuantifier(source: string, start: number): { max: number; end: number } | null {
  const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(start, start + 24));
  if (!match) return null;
  const max = match[2] === undefined ? Number(match[1]) : match[3] ? Number(match[3]) : Number.POSITIVE_INFINITY;
  return { max, end: start + match[0].length };
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
  const stack: Group[] = [{ repeats: false, chooses: false }];
  // The atom a quantifier would apply to: a closed group (with what it holds), another atom, or nothing.
  let last: Group | 'atom' | null = null;
  let i = 0;
  while (i < source.length) {
    const char = source[i]!;
    const current = stack[stack.length - 1]!;
    let max = 0;
    let next = i + 1;
    if (char === '*' || char === '+') max = Number.POSITIVE_INFINITY;
    else if (char === '?') max = 1;
    else if (char === '{') {
      const brace = braceQuantifier(source, i);
      if (brace) ({ max, end: next } = brace);
    }
    if (max > 0 && last !== null) {
      if (source[next] === '?') next += 1; // lazy: the same search space
      if (max > 1) {
        if (typeof last === 'object' && (last.repeats || last.chooses)) return BACKTRACKING_MESSAGE;
        current.repeats = true;
      }
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
      stack.push({ repeats: false, chooses: false });
      last = null;
      i = groupOpenEnd(source, i);
    } else if (char === ')') {
      const closed = stack.length > 1 ? stack.pop()! : { repeats: false, chooses: false };
      // What a group holds, its enclosing group holds too: ((a+))+ nests as much as (a+)+.
      const parent = stack[stack.length - 1]!;
      parent.repeats ||= closed.repeats;
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
