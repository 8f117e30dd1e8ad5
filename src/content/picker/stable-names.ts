/**
 * Which ids, classes and attribute values are worth naming in a selector that must keep working tomorrow and
 * for the next patient: not the ones a framework generated (hashes, counters), not utility classes that say
 * how something looks, and not values that carry the patient's own details.
 */

const GENERATED_ID_PREFIXES = /^(ember|ext-gen|ext-comp|gwt-uid|yui_|mui-|react-|radix-|headlessui-|uid-|ui-id-|ng-|j_id|__next|aria-)/i;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** Words that label a field rather than belong to a patient: sharing them with the text is harmless. */
const LABEL_WORDS = new Set(
  'nhs number num dob date birth born name names patient patients banner header details demographics gender sex age address record summary client person healthcare identifier forename forenames surname family given title the and for with'.split(' '),
);

/** A run of three or more digits (counters, record numbers), a hash, a uuid, a framework's own id scheme. */
export function looksGenerated(value: string): boolean {
  if (!value || value.length > 60) return true;
  if (/\d{3,}/.test(value) || UUID.test(value) || GENERATED_ID_PREFIXES.test(value)) return true;
  // React's useId (":r1:"), Angular's _ngcontent, and other punctuation-heavy machine names.
  if (/[:$@{}]/.test(value) || /^_?ng/i.test(value)) return true;
  // Hex-like runs mixing letters and digits: "a3f9c2", "x7b2e1d".
  if (/[0-9a-f]{6,}/i.test(value.replace(/[^0-9a-z]/gi, '')) && /\d/.test(value) && /[a-f]/i.test(value) && /\d[a-z]|[a-z]\d/i.test(value)) return true;
  // Several letter-digit alternations in one word: "x2y4z6".
  if ((value.match(/[a-z]\d|\d[a-z]/gi) ?? []).length >= 3) return true;
  return false;
}

const HASHED_CLASS = [
  /^css-[a-z0-9]+$/i,
  /^sc-[a-z0-9]+$/i,
  /^jsx-\d+$/,
  /^(emotion|svelte|astro|jss|makestyles|mui[a-z]*)-/i,
  /__(?=[a-z0-9]*\d)[a-z0-9]{5,}$/i,
  /^_[a-z0-9_-]{5,}$/i,
];

/** What a utility class ends with: a size, a step, a colour, an alignment. */
const UTILITY_TAIL =
  '(\\d.*|xs|sm|md|lg|xl|[2-9]xl|full|auto|screen|none|px|center|start|end|between|around|evenly|baseline|stretch|bold|semibold|medium|normal|light|thin|nowrap|wrap|row|col|column|hidden|block|inline|flex|grid|white|black|transparent|current|muted|primary|secondary|success|danger|warning|info|dark|(gray|grey|red|blue|green|yellow|slate|zinc|neutral|stone|orange|amber|lime|emerald|teal|cyan|sky|indigo|violet|purple|fuchsia|pink|rose)(-\\d+)?)';
const UTILITY_PREFIX =
  '(m|p)[trblxyse]?|w|h|min-w|max-w|min-h|max-h|text|bg|font|leading|tracking|border|rounded|shadow|flex|grid|gap|space-[xy]|justify|items|content|self|place|order|z|top|left|right|bottom|inset|d|float|overflow|opacity|cursor|align|fw|fs|lh|ring|outline|duration|col|row|offset|span|g';

const UTILITY_CLASS = [
  // Variants and arbitrary values: "md:flex", "w-1/2", "w-[3rem]", "!mt-0".
  /[:/[\]!]/,
  new RegExp(`^-?(${UTILITY_PREFIX})(-(xs|sm|md|lg|xl|xxl))?-${UTILITY_TAIL}$`),
  /^(is|has|js)-/,
];

const UTILITY_WORDS = new Set(
  'flex grid block inline inline-block inline-flex hidden container container-fluid row clearfix relative absolute fixed sticky static truncate uppercase lowercase capitalize italic underline bold active selected focus focused hover disabled open opened closed show shown fade in out visible invisible collapse collapsed expanded sr-only visually-hidden float-left float-right pull-left pull-right text-center text-left text-right clickable small large'.split(
    ' ',
  ),
);

/** Case flips inside a short word ("kZdYxN"): how styled-components and CSS-in-JS name their classes. */
function caseScrambled(value: string): boolean {
  if (!/^[a-z]+$/i.test(value) || value.length > 10) return false;
  let flips = 0;
  for (let i = 1; i < value.length; i++) {
    const upper = value[i] === value[i]!.toUpperCase();
    const before = value[i - 1] === value[i - 1]!.toUpperCase();
    if (upper !== before) flips++;
  }
  return flips >= 3;
}

export function isStableClass(name: string): boolean {
  if (!/^-?[_a-z][_a-z0-9-]*$/i.test(name) || name.length > 40) return false;
  if (looksGenerated(name) || caseScrambled(name)) return false;
  if (HASHED_CLASS.some((re) => re.test(name)) || UTILITY_CLASS.some((re) => re.test(name))) return false;
  return !UTILITY_WORDS.has(name.toLowerCase());
}

const words = (text: string) => (text.toLowerCase().match(/\p{L}{3,}/gu) ?? []).filter((word) => !LABEL_WORDS.has(word));

/** Whether a value repeats a word of the element's text (a name in an aria-label): it would not fit the next patient. */
export function sharesPatientWords(value: string, text: string): boolean {
  const own = new Set(words(text));
  return words(value).some((word) => own.has(word));
}

/** An attribute value a selector may name: short, not generated, no digits, nothing from the element's own text. */
export function isStableValue(value: string, text: string): boolean {
  const trimmed = value.trim();
  if (!trimmed || trimmed !== value || trimmed.length > 60 || /\d/.test(trimmed)) return false;
  if (looksGenerated(trimmed.replace(/\s+/g, '-'))) return false;
  return !sharesPatientWords(trimmed, text);
}

/** Data attributes that frameworks add by themselves: their names or values change with each build. */
export function isStableDataAttribute(name: string): boolean {
  if (!/^data-[a-z][a-z0-9-]*$/.test(name) || name.length > 40) return false;
  if (/^data-(v-|reactid|reactroot|react-|emotion|styled|ng-|ember|turbo|lt-|gramm|darkreader|new-gr)/.test(name)) return false;
  return !looksGenerated(name.slice(5));
}
