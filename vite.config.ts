import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import baseManifest from './manifest.json' with { type: 'json' };
import { firefoxManifest } from './scripts/build/firefox-manifest';

/**
 * Four builds from one source (`--mode`):
 * - production (dist/): partner origins must be https; EHR sites are granted at run time.
 * - sandbox (dist-sandbox/): also allows http://127.0.0.1 for the built-in partner sandbox and demo EHR.
 * - firefox (dist-firefox/) and firefox-sandbox (dist-firefox-sandbox/): the same two for Firefox ESR.
 */
export default defineConfig(({ mode }) => {
  const firefox = mode === 'firefox' || mode === 'firefox-sandbox';
  const sandbox = mode === 'sandbox' || mode === 'firefox-sandbox';
  const outDir = `dist${firefox ? '-firefox' : ''}${sandbox ? '-sandbox' : ''}`;
  return {
    plugins: [
      preact(),
      crx({ manifest: manifestFor(sandbox, firefox), browser: firefox ? 'firefox' : 'chrome' }),
      noWebAccessibleContentScript(),
      shippedHelp(),
    ],
    define: {
      __SANDBOX_BUILD__: JSON.stringify(sandbox),
      __FIREFOX_BUILD__: JSON.stringify(firefox),
    },
    build: {
      outDir,
      emptyOutDir: true,
      target: firefox ? 'firefox140' : 'chrome120',
      sourcemap: false,
      rollupOptions: {
        // Pages that are not named in the manifest must be listed here to be bundled.
        input: { post: 'src/launch/post.html' },
      },
    },
    server: { host: '127.0.0.1', strictPort: true, port: 5173, hmr: { host: '127.0.0.1' } },
  };
});

function manifestFor(sandbox: boolean, firefox: boolean): ManifestV3Export {
  const manifest = (firefox ? firefoxManifest(baseManifest) : structuredClone(baseManifest)) as typeof baseManifest & Record<string, unknown>;
  if (!sandbox) return manifest as ManifestV3Export;
  return {
    ...manifest,
    name: `${manifest.name} (sandbox)`,
    host_permissions: ['http://127.0.0.1/*'],
    content_security_policy: {
      extension_pages: manifest.content_security_policy.extension_pages.replace(
        'form-action https:',
        'form-action https: http://127.0.0.1:*',
      ),
    },
  } as ManifestV3Export;
}

/**
 * crxjs marks the content script web-accessible, which would let any page load it by URL. It is injected by
 * chrome.scripting only, so nothing needs to be web-accessible: drop the entry from the built manifest.
 */
function noWebAccessibleContentScript(): Plugin {
  let outDir = 'dist';
  return {
    name: 'ehr-launchpad:no-web-accessible-content-script',
    enforce: 'post',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    async closeBundle() {
      const file = join(outDir, 'manifest.json');
      const manifest = JSON.parse(await readFile(file, 'utf8')) as { web_accessible_resources?: { resources: string[] }[] };
      const kept = (manifest.web_accessible_resources ?? []).filter(
        (entry) => !entry.resources.every((resource) => resource.startsWith('src/content/')),
      );
      if (kept.length > 0) manifest.web_accessible_resources = kept;
      else delete manifest.web_accessible_resources;
      await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
    },
  };
}

/**
 * The configuration format, shipped inside the extension: the options page links to it, since an administrator
 * installing the extension has no copy of the repository. The committed file is checked against the schema.
 */
function shippedHelp(): Plugin {
  return {
    name: 'ehr-launchpad:shipped-help',
    async generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'help/config.schema.json', source: await readFile(new URL('./docs/config.schema.json', import.meta.url), 'utf8') });
    },
  };
}
