import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUFFER_BYTES, FLUSH_EVERY_MS } from './log-destination';

const MODULE = fileURLToPath(new URL('./log-destination.ts', import.meta.url));

/** Runs `body` in a fresh Node process with a pino logger on the broker's destination; resolves with each line's arrival. */
function run(body: string): Promise<{ lines: { at: number; text: string }[]; code: number | null; closedAt: number }> {
  const program = `
    const { default: pino } = await import('pino');
    const { brokerLogDestination } = await import(${JSON.stringify(MODULE)});
    const log = pino(brokerLogDestination());
    ${body}`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], { stdio: ['ignore', 'pipe', 'inherit'] });
    const started = Date.now();
    const lines: { at: number; text: string }[] = [];
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop()!;
      for (const text of parts) lines.push({ at: Date.now() - started, text });
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ lines, code, closedAt: Date.now() - started }));
  });
}

describe('the broker log destination', () => {
  it('writes a quiet broker\'s line within the flush interval, without waiting for the buffer to fill', async () => {
    const { lines, closedAt } = await run(`log.info('first'); setTimeout(() => process.exit(0), ${FLUSH_EVERY_MS * 3});`);
    expect(lines.map((line) => JSON.parse(line.text).msg)).toEqual(['first']);
    // Written by the periodic flush, not by the exit two intervals later.
    expect(closedAt - lines[0]!.at).toBeGreaterThan(FLUSH_EVERY_MS / 2);
  }, 20_000);

  it('writes what is still buffered when the process exits, whether it ends by itself or by process.exit', async () => {
    // Several buffers' worth and a remainder smaller than one, which only the exit writes (it comes well before the
    // periodic flush). The pause lets the full buffers' writes, which run on the thread pool, finish first.
    const many = Math.ceil((BUFFER_BYTES * 3) / 60) + 7;
    for (const ending of ['', 'process.exit(3);']) {
      const { lines, code } = await run(`for (let i = 0; i < ${many}; i++) log.info({ i }, 'line'); setTimeout(() => { ${ending} }, ${FLUSH_EVERY_MS / 4});`);
      expect(code).toBe(ending ? 3 : 0);
      expect(lines.map((line) => JSON.parse(line.text).i)).toEqual(Array.from({ length: many }, (_, i) => i));
    }
  }, 30_000);

  it('is one destination per process', async () => {
    const { brokerLogDestination } = await import('./log-destination');
    expect(brokerLogDestination()).toBe(brokerLogDestination());
  });
});
