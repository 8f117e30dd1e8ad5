import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readZip, writeZip } from './zip';

const hasUnzip = (() => {
  try {
    execFileSync('unzip', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const FILES = [
  { name: 'manifest.json', data: Buffer.from('{"manifest_version":3}\n') },
  { name: 'src/popup/index.html', data: Buffer.from('<!doctype html><title>Popup</title>'.repeat(50)) },
  { name: '_locales/en/messages.json', data: Buffer.from('{"extName":{"message":"EHR Launchpad – £"}}') },
  { name: 'icons/empty.png', data: Buffer.alloc(0) },
];

describe('zip', () => {
  it('reads back every file it wrote, byte for byte', () => {
    const files = readZip(writeZip(FILES));
    expect([...files.keys()].sort()).toEqual(FILES.map((file) => file.name).sort());
    for (const file of FILES) expect(files.get(file.name)).toEqual(file.data);
  });

  it('gives the same bytes for the same files in any order (reproducible packages)', () => {
    expect(writeZip(FILES).equals(writeZip([...FILES].reverse()))).toBe(true);
  });

  it('refuses paths that would land outside the extension folder', () => {
    for (const name of ['../evil.js', '/etc/passwd', 'a\\b.js', '']) {
      expect(() => writeZip([{ name, data: Buffer.from('x') }])).toThrow(/relative path/);
    }
  });

  it('notices a damaged file', () => {
    const zip = writeZip([{ name: 'a.txt', data: Buffer.from('stored text that deflates') }]);
    const damaged = Buffer.from(zip);
    const at = 30 + 'a.txt'.length + 2;
    damaged[at] = damaged[at]! ^ 0xff;
    expect(() => readZip(damaged)).toThrow();
  });

  it.runIf(hasUnzip)('is a zip the standard unzip tool accepts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zip-test-'));
    try {
      await writeFile(join(dir, 'test.zip'), writeZip(FILES));
      const listing = execFileSync('unzip', ['-t', join(dir, 'test.zip')], { encoding: 'utf8' });
      expect(listing).toMatch(/No errors detected/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
