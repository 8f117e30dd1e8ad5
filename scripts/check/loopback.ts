/**
 * Where a configuration document names an http://127.0.0.1 address (a partner or EHR site on the local sandbox).
 * Only the sandbox build runs there, so without --sandbox-build the command refuses them by name before
 * starting a browser, rather than leaving the production build's import to say "https only".
 */
export function loopbackAddresses(document: unknown): string[] {
  const found: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'string') {
      if (/^http:\/\/127\.0\.0\.1(?:[:/?#]|$)/i.test(value.trim())) found.push(`${path}: ${value.trim()}`);
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, `${path}[${index}]`));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) walk(item, path ? `${path}.${key}` : key);
    }
  };
  walk(document, '');
  return found;
}
