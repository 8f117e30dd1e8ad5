import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/**
 * Signs an unpacked extension folder with Chromium's own packer. It needs no display. It runs in a throwaway
 * profile, so a browser already open on the default profile does not take the request over. As root, Chromium
 * refuses to start without --no-sandbox; the packer opens no web content, so that is safe here.
 */
export async function packWithChromium(chromium: string, extensionDir: string, keyFile: string): Promise<Buffer> {
  const profile = await mkdtemp(join(tmpdir(), 'ehr-launchpad-pack-'));
  const args = [`--pack-extension=${extensionDir}`, `--pack-extension-key=${keyFile}`, `--user-data-dir=${profile}`, '--no-first-run'];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  try {
    const { code, stderr } = await run(chromium, args, 120_000);
    const crxFile = join(dirname(extensionDir), `${basename(extensionDir)}.crx`);
    const crx = await readFile(crxFile).catch(() => undefined);
    if (code !== 0 || !crx) {
      const tail = stderr.trim().split('\n').slice(-3).join('\n');
      throw new Error(`Chromium's packer (${chromium}) made no CRX (exit ${code})${tail ? `:\n${tail}` : ''}`);
    }
    return crx;
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], timeoutMs: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${command}: ${error.message} (give --chromium or CHROMIUM_PATH)`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}
