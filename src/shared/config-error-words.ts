/**
 * A schema issue in words an administrator can act on. The schema's own messages (`write the full address,
 * starting with https://…`) are already written for people and are kept; the schema library's defaults
 * ("Invalid input: expected string, received undefined", "Invalid discriminator value") are reworded. English
 * only: the broker and the command-line tools use them too, where no _locales exist.
 */
export interface SchemaIssue {
  code?: string;
  message: string;
  expected?: unknown;
  input?: unknown;
  options?: readonly unknown[];
  values?: readonly unknown[];
  keys?: readonly string[];
  minimum?: unknown;
  maximum?: unknown;
  inclusive?: boolean;
  origin?: string;
  discriminator?: string;
}

const LIBRARY_DEFAULT = /^(Invalid|Too (small|big)|Unrecognized key)/;

const TYPE_WORDS: Record<string, string> = {
  string: 'text in quotes',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list [ … ]',
  object: 'a set of settings { … }',
};

const list = (values: readonly unknown[]) => values.map((value) => (typeof value === 'string' ? value : JSON.stringify(value))).join(', ');

export function issueInWords(issue: SchemaIssue): string {
  if (!LIBRARY_DEFAULT.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      // The library leaves `input` out of issues; its message says what was received.
      if (/received undefined$/.test(issue.message)) return 'missing: this setting is required';
      return `should be ${TYPE_WORDS[String(issue.expected)] ?? String(issue.expected)}`;
    case 'invalid_union':
      if (issue.discriminator && issue.options?.length) return `must be one of: ${list(issue.options)}`;
      return 'does not match any of the allowed forms';
    case 'invalid_value':
      return issue.values && issue.values.length === 1 ? `must be ${list(issue.values)}` : `must be one of: ${list(issue.values ?? [])}`;
    case 'unrecognized_keys': {
      const keys = (issue.keys ?? []).map((key) => `"${key}"`).join(', ');
      return `${keys} ${(issue.keys ?? []).length === 1 ? 'is not a setting' : 'are not settings'} here: check the spelling, or remove ${(issue.keys ?? []).length === 1 ? 'it' : 'them'}`;
    }
    case 'too_small':
      return sizeWords('at least', issue);
    case 'too_big':
      return sizeWords('at most', issue);
    case 'invalid_format':
      return 'is not in the expected format';
    default:
      return 'is not valid';
  }
}

function sizeWords(bound: 'at least' | 'at most', issue: SchemaIssue): string {
  const limit = Number(issue.minimum ?? issue.maximum);
  if (issue.origin === 'string') return bound === 'at least' && limit === 1 ? 'must not be empty' : `must be ${bound} ${limit} characters long`;
  if (issue.origin === 'array' || issue.origin === 'set') return `must have ${bound} ${limit} ${limit === 1 ? 'entry' : 'entries'}`;
  if (issue.inclusive === false) return `must be ${bound === 'at least' ? 'more' : 'less'} than ${limit}`;
  return `must be ${bound} ${limit}`;
}
