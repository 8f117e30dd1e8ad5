import messages from '../../../public/_locales/en/messages.json' with { type: 'json' };

/**
 * Stands in for the browser's i18n API (as `chrome`) when the launch bar module is rendered outside the extension
 * for the accessibility scan: the same en-GB strings from _locales, with positional substitutions.
 */
type Entry = { message: string; placeholders?: Record<string, { content: string }> };
const table = messages as Record<string, Entry>;

function getMessage(key: string, substitutions: string | string[] = []): string {
  const entry = table[key];
  if (!entry) return '';
  const subs = Array.isArray(substitutions) ? substitutions : [substitutions];
  return entry.message.replace(/\$([A-Z_]+)\$/g, (_, name: string) => {
    const content = entry.placeholders?.[name.toLowerCase()]?.content ?? '';
    return content.replace(/\$(\d)/g, (__, n: string) => subs[Number(n) - 1] ?? '');
  });
}

export default { i18n: { getMessage } };
