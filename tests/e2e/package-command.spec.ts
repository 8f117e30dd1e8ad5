import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { readCrx } from '../../scripts/package/crx-format';
import { extensionIdFromKey } from '../../scripts/package/extension-id';
import { readZip } from '../../scripts/package/zip';

/**
 * `npm run package` as a release is made: the production build, the store zip, the self-hosted zip and the
 * CRX signed by Chromium's own packer, checked by opening what it wrote. The signing key is a throwaway one
 * made here, so its id differs from the fixed id and the run needs --allow-new-id.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const BASE = 'https://apps.trust.example/ehr-launchpad';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** The command without the build in front, for the cases after the first run has built dist/. */
const packageOnly = (args: string[]) => run(process.execPath, ['--import', 'tsx', 'scripts/package.ts', ...args]);

async function manifestIn(zip: Buffer): Promise<Record<string, unknown>> {
  return JSON.parse(readZip(zip).get('manifest.json')!.toString('utf8')) as Record<string, unknown>;
}

let out: string;
let pemFile: string;
let pem: string;
let signingKey: string;
let version: string;
let fixedKey: string;

test.beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'ehr-launchpad-packages-'));
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  signingKey = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  pemFile = join(out, 'throwaway.pem');
  await writeFile(pemFile, pem, { mode: 0o600 });
  version = (JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  fixedKey = (JSON.parse(await readFile(join(ROOT, 'manifest.json'), 'utf8')) as { key: string }).key;
});

test.afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

test('npm run package builds production and writes the store zip, the self-hosted zip, a CRX signed by Chromium and the Firefox zip', async () => {
  test.setTimeout(300_000);
  const dir = join(out, 'signed');
  const result = await run('npm', ['run', '--silent', 'package', '--', '--out', dir, '--key', pemFile, '--update-base-url', `${BASE}/`, '--allow-new-id']);
  expect(result.code, result.stderr).toBe(0);
  const keyBody = pem.split('\n')[1]!;
  expect(result.stdout + result.stderr).not.toContain(keyBody);

  const name = `ehr-launchpad-${version}`;
  const store = await manifestIn(await readFile(join(dir, `${name}-store.zip`)));
  expect(store).not.toHaveProperty('key');
  expect(store).not.toHaveProperty('update_url');
  expect(store.version).toBe(version);
  expect(JSON.stringify(store)).not.toContain('127.0.0.1');

  const firefox = await manifestIn(await readFile(join(dir, `${name}-firefox.zip`)));
  expect(firefox).toMatchObject({ version, background: { scripts: [expect.any(String)] }, browser_specific_settings: { gecko: { id: 'ehr-launchpad@ehr-launchpad' } } });
  expect(firefox).not.toHaveProperty('key');
  expect(JSON.stringify(firefox)).not.toContain('127.0.0.1');

  const selfHosted = await manifestIn(await readFile(join(dir, `${name}-self-hosted.zip`)));
  expect(selfHosted).toMatchObject({ key: signingKey, update_url: `${BASE}/updates.xml`, version });
  const id = extensionIdFromKey(signingKey);

  const serverDir = join(dir, `${name}-update-server`);
  expect((await readdir(serverDir)).sort()).toEqual([`${name}.crx`, 'updates.xml']);
  const crxBytes = await readFile(join(serverDir, `${name}.crx`));
  expect(crxBytes.subarray(0, 4).toString('latin1')).toBe('Cr24');
  const crx = readCrx(crxBytes);
  expect(crx.crxId).toBe(id);
  expect(crx.rsaPublicKeys).toContain(signingKey);
  expect(await manifestIn(crx.zip)).toEqual(selfHosted);

  const xml = await readFile(join(serverDir, 'updates.xml'), 'utf8');
  expect(xml).toContain(`<app appid='${id}'>`);
  expect(xml).toContain(`codebase='${BASE}/${name}.crx' version='${version}'`);
});

test('without a key the CRX is skipped, saying why, and the self-hosted zip keeps the fixed id', async () => {
  const dir = join(out, 'unsigned');
  const result = await packageOnly(['--out', dir, '--update-base-url', BASE]);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toMatch(/CRX: skipped\. Chromium signs a CRX with the private key/);
  expect(result.stdout).toContain('extension id ikbkgfoadadldhedkemepfmjnahodadh');
  const selfHosted = await manifestIn(await readFile(join(dir, `ehr-launchpad-${version}-self-hosted.zip`)));
  expect(selfHosted).toMatchObject({ key: fixedKey, update_url: `${BASE}/updates.xml`, version });
  expect((await readdir(dir)).sort()).toEqual([`ehr-launchpad-${version}-firefox.zip`, `ehr-launchpad-${version}-self-hosted.zip`, `ehr-launchpad-${version}-store.zip`]);
});

test('a key whose id is not the fixed id is refused without --allow-new-id, and nothing is written', async () => {
  const dir = join(out, 'refused');
  const result = await packageOnly(['--out', dir, '--key', pemFile, '--update-base-url', BASE]);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(`the signing key's extension id is ${extensionIdFromKey(signingKey)}, not ikbkgfoadadldhedkemepfmjnahodadh`);
  expect(result.stderr).not.toContain(pem.split('\n')[1]!);
  await expect(readdir(dir)).rejects.toThrow(/ENOENT/);
});
