import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import webExt from 'web-ext';
import { EXPLAINED_WARNINGS, judgeLint } from './build/firefox-lint-verdict';

/**
 * `npm run lint:firefox`: Mozilla's add-on linter (`web-ext lint`, which addons.mozilla.org also runs at signing)
 * on the Firefox production build. Fails on any error and on any warning not explained in
 * ./build/firefox-lint-verdict.ts.
 */

const ROOT = resolve(import.meta.dirname, '..');
const sourceDir = resolve(ROOT, process.argv[2] ?? 'dist-firefox');
if (!existsSync(join(sourceDir, 'manifest.json'))) {
  console.error(`lint:firefox: no Firefox build in ${sourceDir}: run npm run build:firefox first`);
  process.exit(1);
}

const report = await webExt.cmd.lint({ sourceDir, output: 'none', artifactsDir: join(ROOT, 'web-ext-artifacts'), ignoreFiles: [] }, { shouldExitProgram: false });
const verdict = judgeLint(report);
console.log(`web-ext lint ${sourceDir}: errors ${report.errors.length}, warnings ${report.warnings.length} (${EXPLAINED_WARNINGS.length} kinds explained), notices ${report.notices.length}`);
for (const line of verdict.lines) console.error(`  ${line}`);
if (!verdict.ok) process.exitCode = 1;
