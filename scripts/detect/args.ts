import type { ParsedArgs as CommandArgs } from '../command-main';

/** The detect command's arguments: parsed without side effects, so every rule is unit-tested. */

export interface DetectOptions {
  /** A configuration document to import (its EHR sites and profiles); default: none. */
  configFile?: string;
  /** Profile for page origins the configuration does not list (default "generic"). */
  profile: string;
  json: boolean;
  /** How long to wait for a patient to appear after the page has loaded. */
  timeoutMs: number;
  inputs: string[];
}

export type ParsedArgs = CommandArgs<DetectOptions>;

export const DEFAULT_TIMEOUT_MS = 3_000;
const MAX_TIMEOUT_MS = 120_000;

export const USAGE = `Usage: npm run detect -- [--config file.json] [--profile name] [--json] [--timeout ms] <url-or-html-file>...

Opens each page in headless Chromium with the built extension and prints what its content script read:
the patient (NHS number, date of birth, family and given name) or "no patient" with the reason.

  <url-or-html-file>  an https:// address (production build), an http://127.0.0.1 address or a local HTML
                      file (sandbox build; files are served on 127.0.0.1, one origin per folder)
  --config file.json  import this configuration's EHR sites and profiles (partners are left out)
  --profile name      profile for page origins the configuration does not list (default: generic)
  --json              one JSON object per line: {url, patient: {nhsNumber, birthDate, family, given} | null, reason}
  --timeout ms        how long to wait after load for a patient to appear, e.g. a late banner (default ${DEFAULT_TIMEOUT_MS})

Exit code: 0 every page loaded and read, 1 a page failed to load or was not read, 2 bad arguments.`;

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const options: DetectOptions = { profile: 'generic', json: false, timeoutMs: DEFAULT_TIMEOUT_MS, inputs: [] };
  let onlyInputs = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (onlyInputs || !arg.startsWith('-') || arg === '-') {
      options.inputs.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyInputs = true;
      continue;
    }
    // --name=value and --name value are both accepted.
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string | undefined => inline ?? (i + 1 < argv.length ? argv[++i] : undefined);
    switch (name) {
      case '-h':
      case '--help':
        return { kind: 'help' };
      case '--json':
        if (inline !== undefined) return { kind: 'error', message: '--json takes no value' };
        options.json = true;
        break;
      case '--config': {
        const file = value();
        if (!file) return { kind: 'error', message: '--config needs a file name' };
        options.configFile = file;
        break;
      }
      case '--profile': {
        const profile = value();
        // The configuration's own rule for profile names.
        if (!profile || !/^[a-z0-9-]{1,40}$/.test(profile)) return { kind: 'error', message: '--profile needs a profile name (lower-case letters, digits and dashes)' };
        options.profile = profile;
        break;
      }
      case '--timeout': {
        const raw = value();
        const ms = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : NaN;
        if (!Number.isSafeInteger(ms) || ms > MAX_TIMEOUT_MS) return { kind: 'error', message: `--timeout needs a whole number of milliseconds up to ${MAX_TIMEOUT_MS}` };
        options.timeoutMs = ms;
        break;
      }
      default:
        return { kind: 'error', message: `unknown option ${name}` };
    }
  }
  if (options.inputs.length === 0) return { kind: 'error', message: 'give at least one URL or HTML file' };
  return { kind: 'run', options };
}
