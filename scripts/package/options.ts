/** `npm run package` options; each can also come from the environment, so CI can keep the key path out of logs. */
export interface PackageOptions {
  /** Where the packages are written (created if missing). */
  outDir: string;
  /** The production build to package. */
  distDir: string;
  /** The Firefox production build to package (dist-firefox/). */
  firefoxDistDir: string;
  /** Private key (PEM) that signs the CRX; without it no CRX is made. */
  keyFile?: string;
  /** https address the self-hosted update manifest and CRX are served from; without it no self-hosted package. */
  updateBaseUrl?: string;
  /** Accept a signing key whose id differs from the fixed id in manifest.json. */
  allowNewId: boolean;
  chromium: string;
}

export const USAGE = `npm run package -- [--key <private key .pem>] [--update-base-url <https url>] [--allow-new-id]
                      [--out <dir>] [--dist <dir>] [--chromium <path>]
  --key              signs the self-hosted CRX (or EXTENSION_KEY_PEM); without it the CRX is skipped
  --update-base-url  where the self-hosted CRX and updates.xml are served (or EXTENSION_UPDATE_BASE_URL)
  --allow-new-id     accept a key whose extension id is not the fixed id in manifest.json
  --out              output folder (default packages/)
  --dist             production build to package (default dist/)
  --firefox-dist     Firefox production build to package (default dist-firefox/)
  --chromium         Chromium or Chrome used to sign the CRX (or CHROMIUM_PATH; default /usr/bin/chromium)`;

export function parsePackageOptions(argv: readonly string[], env: Record<string, string | undefined>): PackageOptions {
  const options: PackageOptions = {
    outDir: 'packages',
    distDir: 'dist',
    firefoxDistDir: 'dist-firefox',
    keyFile: env.EXTENSION_KEY_PEM || undefined,
    updateBaseUrl: env.EXTENSION_UPDATE_BASE_URL || undefined,
    allowNewId: false,
    chromium: env.CHROMIUM_PATH || '/usr/bin/chromium',
  };
  const valued: Record<string, (value: string) => void> = {
    '--out': (value) => (options.outDir = value),
    '--dist': (value) => (options.distDir = value),
    '--firefox-dist': (value) => (options.firefoxDistDir = value),
    '--key': (value) => (options.keyFile = value),
    '--update-base-url': (value) => (options.updateBaseUrl = value),
    '--chromium': (value) => (options.chromium = value),
  };
  for (let index = 0; index < argv.length; index += 1) {
    const [flag, inline] = splitFlag(argv[index]!);
    if (flag === '--allow-new-id' && inline === undefined) {
      options.allowNewId = true;
      continue;
    }
    const set = valued[flag];
    if (!set) throw new Error(`unknown option ${flag}\n${USAGE}`);
    const value = inline ?? argv[++index];
    if (value === undefined || value === '') throw new Error(`${flag} needs a value\n${USAGE}`);
    set(value);
  }
  if (options.updateBaseUrl !== undefined) options.updateBaseUrl = normaliseUpdateBaseUrl(options.updateBaseUrl);
  return options;
}

/** Browsers fetch updates over https only (http is refused for off-store updates); no credentials, query or fragment. */
export function normaliseUpdateBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`--update-base-url ${JSON.stringify(value)} is not an address`);
  }
  if (url.protocol !== 'https:') throw new Error(`--update-base-url must start with https:// (browsers fetch self-hosted updates over https)`);
  if (url.username || url.password || url.search || url.hash) {
    throw new Error('--update-base-url must be a plain folder address: no user name, password, query or fragment');
  }
  return url.href.replace(/\/+$/, '');
}

function splitFlag(argument: string): [string, string | undefined] {
  const equals = argument.indexOf('=');
  return argument.startsWith('--') && equals > 0 ? [argument.slice(0, equals), argument.slice(equals + 1)] : [argument, undefined];
}
