import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';

/**
 * `npm run test:unit:prod`: the unit tests with the production build's URL rules (vitest --mode production).
 * Only the build flag differs between the modes, so only tests that import, at any depth, a module reading it
 * can give another result; vitest related runs just those (about half the files), which keeps the second
 * run short. The modules are found by name each time, so a new reader of the flag is covered without a list.
 */

const ROOT = resolve(import.meta.dirname, '..');
const FLAG = '__SANDBOX_BUILD__';

async function readersOfTheFlag(): Promise<string[]> {
  const readers: string[] = [];
  for (const entry of await readdir(join(ROOT, 'src'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.tsx?$/.test(entry.name) || /\.(test|d)\.tsx?$/.test(entry.name)) continue;
    const file = join(entry.parentPath, entry.name);
    if ((await readFile(file, 'utf8')).includes(FLAG)) readers.push(relative(ROOT, file));
  }
  return readers.sort();
}

const readers = await readersOfTheFlag();
if (readers.length === 0) throw new Error(`no module under src/ reads ${FLAG}: nothing differs between the modes`);
console.log(`production URL rules: tests that depend on ${readers.join(', ')}`);
const child = spawn('npx', ['vitest', 'related', '--run', '--mode', 'production', ...readers, ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' });
child.on('close', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
