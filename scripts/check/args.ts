import type { ParsedArgs as CommandArgs } from '../command-main';

/** The check command's arguments: parsed without side effects, so every rule is unit-tested. */

export type Build = 'sandbox' | 'production';

export interface CheckOptions {
  /** The configuration document an administrator imports. */
  configFile: string;
  /** The test clinician's profile, as the popup's form would save it. */
  clinicianFile: string;
  /** Partner secrets by partner id and name: `{ "<partner id>": { "<name>": "<value>" } }`. */
  secretsFile?: string;
  /** The EHR page showing the test patient. */
  page: string;
  /** Which build to load: the sandbox build also runs on http://127.0.0.1. */
  build: Build;
}

export type ParsedArgs = CommandArgs<CheckOptions>;

export const USAGE = `Usage: npm run check -- --config trust.json --clinician clinician.json [--secrets secrets.json] --page <EHR url> [--sandbox-build]

Loads the built extension in headless Chromium with this configuration, test clinician and partner secrets,
opens the EHR page, launches each configured partner for the patient it shows and prints a table: partner,
outcome, milliseconds. For checking a deployment before clinicians use it.

  --config file.json     the configuration document, as imported in the options page (docs/config.schema.json)
  --clinician file.json  the test clinician's profile: {"displayName", "username", "email", ...} as in the popup
  --secrets file.json    partner secrets: {"<partner id>": {"<secret name>": "<value>"}}; never printed
  --page url             an EHR page showing one test patient (https://)
  --sandbox-build        load dist-sandbox/ instead of dist/: partners and pages may then be on http://127.0.0.1

Exit code: 0 every partner launched (or needs a clinician's own sign-in or pairing), 1 a launch failed,
2 bad arguments or a configuration, clinician or secret the extension refused.`;

export function parseArgs(argv: readonly string[]): ParsedArgs {
  let configFile: string | undefined;
  let clinicianFile: string | undefined;
  let secretsFile: string | undefined;
  let page: string | undefined;
  let sandbox = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--') && arg !== '-h') return { kind: 'error', message: `unexpected argument ${arg}` };
    // --name=value and --name value are both accepted.
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string | undefined => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) return undefined;
      i++;
      return next;
    };
    switch (name) {
      case '-h':
      case '--help':
        return { kind: 'help' };
      case '--sandbox-build':
        if (inline !== undefined) return { kind: 'error', message: '--sandbox-build takes no value' };
        sandbox = true;
        break;
      case '--config':
      case '--clinician':
      case '--secrets':
      case '--page': {
        const given = value();
        if (!given) return { kind: 'error', message: `${name} needs ${name === '--page' ? 'an address' : 'a file name'}` };
        if (name === '--config') configFile = given;
        else if (name === '--clinician') clinicianFile = given;
        else if (name === '--secrets') secretsFile = given;
        else page = given;
        break;
      }
      default:
        return { kind: 'error', message: `unknown option ${name}` };
    }
  }
  const missing = [['--config', configFile], ['--clinician', clinicianFile], ['--page', page]].filter(([, v]) => v === undefined).map(([n]) => n);
  if (missing.length > 0) return { kind: 'error', message: `missing ${missing.join(', ')}` };
  const build: Build = sandbox ? 'sandbox' : 'production';
  const pageProblem = addressProblem(page!, build);
  if (pageProblem) return { kind: 'error', message: `--page: ${pageProblem}` };
  return { kind: 'run', options: { configFile: configFile!, clinicianFile: clinicianFile!, ...(secretsFile ? { secretsFile } : {}), page: page!, build } };
}

/** Why this build cannot open or call the address, or null when it can (the builds' own rule: https, or loopback http in the sandbox build). */
export function addressProblem(value: string, build: Build): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${value} is not a full address (start it with https://)`;
  }
  if (url.username || url.password) return 'must not hold a user name or password';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && url.hostname === '127.0.0.1') {
    return build === 'sandbox' ? null : `${url.origin} is on http://127.0.0.1, which only the sandbox build runs on: add --sandbox-build to test against a local sandbox`;
  }
  return `${url.origin} is not https: the extension runs only on https:// sites (and http://127.0.0.1 with --sandbox-build)`;
}
