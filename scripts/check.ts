// First: sets the build flag the configuration rules read when they load.
import './check/build-flag';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, USAGE, type Build, type CheckOptions } from './check/args';
import { launchPartner } from './check/launch-partner';
import { loopbackAddresses } from './check/loopback';
import { Messenger } from './check/messenger';
import { notReadyRow, type CheckRow } from './check/outcome';
import { findPatient } from './check/patient';
import { parseSecrets, redact, type PartnerSecret } from './check/secrets';
import { tableLines } from './check/table';
import { openSession, type BrowserSession } from './detect/browser-session';
import { ConfigError, type DetectConfig } from './detect/config';
import { OptionsPage } from '../tests/e2e/pages/extension-pages';
import { parseConfig } from '../src/shared/config';
import { hostPatternsFor } from '../src/shared/host-access';
import { commandLifecycle } from './command-lifecycle';
import { commandMain, UsageError } from './command-main';

/**
 * `npm run check -- --config trust.json --clinician clinician.json [--secrets secrets.json] --page <EHR url>`:
 * a deployment self-test for trust IT. The real built extension runs in headless Chromium, configured with the
 * trust's document, a test clinician and the partner secrets (through the same messages the options page and
 * popup send); it opens the EHR page, launches each partner for the patient there and prints how each went.
 */

const ROOT = resolve(import.meta.dirname, '..');
const BUILDS: Record<Build, { dir: string; script: string }> = {
  sandbox: { dir: join(ROOT, 'dist-sandbox'), script: 'build:sandbox' },
  production: { dir: join(ROOT, 'dist'), script: 'build:prod' },
};

/** Where relative file names start: the shell's folder, which npm records before it moves to the project. */
const fromShell = (file: string) => resolve(process.env.INIT_CWD ?? process.cwd(), file);

/** Every secret value read from the file: taken out of anything this command prints. */
let secretValues: string[] = [];
const say = (text: string) => console.log(redact(text, secretValues));
const warn = (text: string) => console.error(redact(text, secretValues));

/** Everything this run started is stopped on exit, on error and on Ctrl-C. */
const { onCleanUp, cleanUp, run: runCommand } = commandLifecycle(warn);

/** Input the extension refused (configuration, clinician, a secret): exit 2, with the extension's words. */
class RefusedInput extends Error {}

async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(fromShell(file), 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the ${what} file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function readSecrets(file: string | undefined): Promise<PartnerSecret[]> {
  if (!file) return [];
  let text: string;
  try {
    text = await readFile(fromShell(file), 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the secrets file ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  const parsed = parseSecrets(text, file);
  if (!parsed.ok) throw new UsageError(parsed.errors.join('\n'));
  return parsed.secrets;
}

/**
 * The configuration checked by the chosen build's own rules before a browser starts, and the host access it
 * needs. A headless browser cannot answer the access prompt, so the copy of the build is granted it at install.
 */
async function checkedConfig(document: unknown, build: Build): Promise<string[]> {
  if (build === 'production') {
    const loopback = loopbackAddresses(document);
    if (loopback.length > 0) {
      throw new UsageError(
        `the configuration names http://127.0.0.1, which only the sandbox build runs on (add --sandbox-build to test against a local sandbox):\n  ${loopback.join('\n  ')}`,
      );
    }
  }
  const parsed = parseConfig(document);
  if (!parsed.ok) throw new RefusedInput(`the configuration is not valid:\n  ${parsed.errors.join('\n  ')}`);
  return hostPatternsFor(parsed.config);
}

async function run(options: CheckOptions): Promise<number> {
  const document = await readJson(options.configFile, 'configuration');
  const clinician = await readJson(options.clinicianFile, 'clinician');
  const secrets = await readSecrets(options.secretsFile);
  secretValues = secrets.map((s) => s.value);
  const hostPatterns = await checkedConfig(document, options.build);
  const pageOrigin = new URL(options.page).origin;
  const { dir, script } = BUILDS[options.build];
  if (!existsSync(join(dir, 'manifest.json'))) throw new Error(`The ${options.build} build is missing (${dir}): run npm run ${script} first.`);

  const workDir = await mkdtemp(join(tmpdir(), 'ehr-launchpad-check-'));
  onCleanUp(() => rm(workDir, { recursive: true, force: true }));
  // The detect command's session: a copy of the build granted these hosts, configured through the options page.
  // Its page's origin is granted too, so a page outside the configuration's sites still loads and says so.
  const session: DetectConfig = { config: document as DetectConfig['config'], hostPatterns: [...new Set([...hostPatterns, `${pageOrigin}/*`])], notes: [] };
  const opening = openSession(options.build, dir, workDir, session);
  // Stopped even when Ctrl-C comes while it starts, and before the folder holding its profile is removed.
  onCleanUp(async () => (await opening).close());
  const browser: BrowserSession & { configure(): Promise<void> } = await opening;
  await browser.configure();

  const admin = await OptionsPage.open(browser.context);
  const messenger = new Messenger(admin.page);
  for (const secret of secrets) {
    await messenger.send('secret.set', { partnerId: secret.partnerId, name: secret.name, value: secret.value }).catch((error: unknown) => {
      throw new RefusedInput(`the secret ${secret.name} of ${secret.partnerId} was refused: ${error instanceof Error ? error.message : String(error)}`);
    });
  }
  const saved = await messenger.send<{ ok: boolean; errors: string[] }>('clinician.set', { profile: clinician });
  if (!saved.ok) throw new RefusedInput(`the clinician profile was refused:\n  ${saved.errors.join('\n  ')}`);

  const patient = await findPatient(browser.context, messenger, options.page);
  if (!patient.found) {
    warn(`No patient on ${options.page}: ${patient.reason}`);
    return 1;
  }
  say(`Patient on the page: ${[patient.name.given, patient.name.family].filter(Boolean).join(' ')}, NHS number ${patient.nhsNumber.replace(/^(\d{3})(\d{3})(\d{4})$/, '$1 $2 $3')}`);
  if (patient.partners.length === 0) {
    warn('The configuration has no partners to launch.');
    return 1;
  }
  const rows: CheckRow[] = [];
  for (const partner of patient.partners) {
    rows.push(partner.state === 'ready' ? await launchPartner(browser.context, messenger, options.page, partner) : notReadyRow(partner.label, partner.state, partner.message, patient.notSignedIn.includes(partner.id)));
  }
  say('');
  for (const line of tableLines(['partner', 'outcome', 'ms'], rows.map((r) => [r.partner, r.outcome, r.ms === null ? '' : String(r.ms)]))) say(line);
  const failed = rows.filter((r) => r.failed).length;
  const skipped = rows.filter((r) => !r.failed && r.outcome.startsWith('skipped')).length;
  say('');
  say(failed > 0 ? `${failed} of ${rows.length} partner(s) failed.` : `All ${rows.length - skipped} launch(es) ok${skipped ? `; ${skipped} skipped (they need the clinician's own sign-in or pairing)` : ''}.`);
  return failed > 0 ? 1 : 0;
}

runCommand(() => commandMain({ parseArgs, usage: USAGE, run, refusals: [RefusedInput, ConfigError], warn, cleanUp }, process.argv.slice(2)));
