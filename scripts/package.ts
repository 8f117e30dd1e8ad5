import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { packWithChromium } from './package/crx';
import { readCrx } from './package/crx-format';
import { extensionIdFromKey, manifestKeyFromPem } from './package/extension-id';
import { firefoxManifest, type Manifest, selfHostedManifest, storeManifest } from './package/manifest';
import { parsePackageOptions } from './package/options';
import { updateManifestXml } from './package/update-manifest';
import { extensionVersionProblem } from './package/version';
import { readZip, type ZipEntry, writeZip } from './package/zip';

/**
 * `npm run package`: the production build (dist/) as
 * - a zip for the Chrome Web Store and Edge Add-ons (no `key`), and
 * - for self-hosting, a zip with `key` and `update_url`, plus a folder to copy to the update server: the CRX
 *   signed by Chromium's packer and updates.xml;
 * - and the Firefox build (dist-firefox/) as a zip for Mozilla to sign (addons.mozilla.org, listed or unlisted).
 * The version is package.json's. See docs/deployment.md ("Building the packages").
 */

const ROOT = resolve(import.meta.dirname, '..');

async function main(): Promise<void> {
  const options = parsePackageOptions(process.argv.slice(2), process.env);
  const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const versionProblem = extensionVersionProblem(version);
  if (versionProblem) throw new Error(`package.json ${versionProblem}`);

  const distDir = resolve(ROOT, options.distDir);
  const outDir = resolve(ROOT, options.outDir);
  const files = await readTree(distDir).catch(() => {
    throw new Error(`no build in ${distDir}: run npm run build:prod first (npm run package does)`);
  });
  const built = JSON.parse(files.get('manifest.json')?.toString('utf8') ?? 'null') as Manifest | null;
  if (!built) throw new Error(`${distDir} has no manifest.json`);
  const name = `ehr-launchpad-${version}`;

  // Everything that can refuse is checked before anything is written.
  const fixedKey = typeof built.key === 'string' ? built.key : undefined;
  const signingKey = options.keyFile ? manifestKeyFromPem(await readFile(resolve(options.keyFile), 'utf8')) : undefined;
  const key = signingKey ?? fixedKey;
  if (options.updateBaseUrl && !key) throw new Error('the build has no `key` and no signing key was given: nothing fixes the extension id');
  if (fixedKey && key && key !== fixedKey && !options.allowNewId) {
    throw new Error(
      `the signing key's extension id is ${extensionIdFromKey(key)}, not ${extensionIdFromKey(fixedKey)} (the key in manifest.json). ` +
        'Policy, managed storage and partner redirect URIs name the extension id; give --allow-new-id if the new id is intended.',
    );
  }
  const storeManifestJson = storeManifest(built, version);
  const firefoxDir = resolve(ROOT, options.firefoxDistDir);
  const firefoxFiles = await readTree(firefoxDir).catch(() => {
    throw new Error(`no Firefox build in ${firefoxDir}: run vite build --mode firefox first (npm run package does)`);
  });
  const firefoxBuilt = JSON.parse(firefoxFiles.get('manifest.json')?.toString('utf8') ?? 'null') as Manifest | null;
  if (!firefoxBuilt) throw new Error(`${firefoxDir} has no manifest.json`);
  const firefoxManifestJson = firefoxManifest(firefoxBuilt, version);

  await mkdir(outDir, { recursive: true });
  const storeZip = join(outDir, `${name}-store.zip`);
  await writeFile(storeZip, zipWith(files, storeManifestJson));
  say(`store (Chrome Web Store, Edge Add-ons): ${shown(storeZip)}`);
  const firefoxZip = join(outDir, `${name}-firefox.zip`);
  await writeFile(firefoxZip, zipWith(firefoxFiles, firefoxManifestJson));
  say(`Firefox (for Mozilla to sign, then ESR policy or a listed install): ${shown(firefoxZip)}`);

  if (!options.updateBaseUrl || !key) {
    say('self-hosted: skipped (give --update-base-url <https url> or EXTENSION_UPDATE_BASE_URL: the address the CRX and updates.xml are served from)');
    return;
  }
  const id = extensionIdFromKey(key);
  const updateUrl = `${options.updateBaseUrl}/updates.xml`;
  const manifest = selfHostedManifest(built, version, key, updateUrl);
  const selfHostedZip = join(outDir, `${name}-self-hosted.zip`);
  const selfHostedBytes = zipWith(files, manifest);
  await writeFile(selfHostedZip, selfHostedBytes);
  say(`self-hosted: ${shown(selfHostedZip)} (extension id ${id}, update_url ${updateUrl})`);

  if (!options.keyFile) {
    say('CRX: skipped. Chromium signs a CRX with the private key (.pem) behind the extension id; give --key <pem> or EXTENSION_KEY_PEM. Without a CRX there is nothing for the update server to serve.');
    return;
  }
  const crxName = `${name}.crx`;
  const crx = await signCrx(options.chromium, selfHostedBytes, resolve(options.keyFile));
  const signed = readCrx(crx);
  if (signed.crxId !== id || !signed.rsaPublicKeys.includes(key)) throw new Error(`the CRX Chromium made is not signed for ${id}`);
  if (readZip(signed.zip).get('manifest.json')?.toString('utf8') !== `${JSON.stringify(manifest, null, 2)}\n`) {
    throw new Error('the CRX Chromium made does not hold the self-hosted manifest');
  }
  const serverDir = join(outDir, `${name}-update-server`);
  await rm(serverDir, { recursive: true, force: true });
  await mkdir(serverDir, { recursive: true });
  await writeFile(join(serverDir, crxName), crx);
  const minimum = typeof built.minimum_chrome_version === 'string' ? built.minimum_chrome_version : undefined;
  await writeFile(
    join(serverDir, 'updates.xml'),
    updateManifestXml({ appId: id, codebase: `${options.updateBaseUrl}/${crxName}`, version, minimumBrowserVersion: minimum }),
  );
  say(`update server: copy ${shown(serverDir)}${sep}* to ${options.updateBaseUrl}/ (${crxName}, updates.xml)`);
}

function zipWith(files: Map<string, Buffer>, manifest: Manifest): Buffer {
  const entries: ZipEntry[] = [...files].map(([name, data]) => ({ name, data }));
  const manifestEntry = entries.find((entry) => entry.name === 'manifest.json')!;
  manifestEntry.data = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  return writeZip(entries);
}

/** Chromium packs a folder: unpack the self-hosted zip into a scratch folder, sign it, and remove the folder. */
async function signCrx(chromium: string, zip: Buffer, keyFile: string): Promise<Buffer> {
  const scratch = await mkdtemp(join(tmpdir(), 'ehr-launchpad-package-'));
  try {
    const extensionDir = join(scratch, 'ehr-launchpad');
    for (const [name, data] of readZip(zip)) {
      const file = join(extensionDir, ...name.split('/'));
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, data);
    }
    return await packWithChromium(chromium, extensionDir, keyFile);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Every file under a folder, by path relative to it with forward slashes. */
async function readTree(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path).split(sep).join('/'), await readFile(path));
  }
  return files;
}

/** A path as the person running the command can find it: relative to where they are when it is below. */
function shown(path: string): string {
  const fromHere = relative(process.cwd(), path);
  return fromHere.startsWith('..') ? path : fromHere;
}

function say(line: string): void {
  console.log(line);
}

main().catch((error: unknown) => {
  console.error(`npm run package: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
