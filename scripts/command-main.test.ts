import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { commandMain, UsageError, type Command, type ParsedArgs } from './command-main';

const USAGE = 'Usage: npm run example -- <thing>';
class Refused extends Error {}
class BadConfig extends Error {}

let stdout: MockInstance;
let stderr: MockInstance;
beforeEach(() => {
  stdout = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  stderr = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => vi.restoreAllMocks());

/** A command whose parser answers `parsed` and whose run does `run`; what it printed and cleaned up is kept. */
function command(parsed: ParsedArgs<string>, run: (thing: string) => Promise<number> = () => Promise.resolve(0)) {
  const warned: string[] = [];
  const cleanUp = vi.fn(() => Promise.resolve());
  const spec: Command<string> = {
    parseArgs: () => parsed,
    usage: USAGE,
    run,
    usageErrors: [BadConfig],
    refusals: [Refused],
    warn: (text) => warned.push(text),
    cleanUp,
  };
  return { spec, warned, cleanUp };
}

describe('commandMain', () => {
  it('prints the usage on stdout for help and exits 0 without running', async () => {
    const run = vi.fn(() => Promise.resolve(1));
    const { spec, cleanUp } = command({ kind: 'help' }, run);
    await expect(commandMain(spec, ['--help'])).resolves.toBe(0);
    expect(stdout.mock.calls).toEqual([[USAGE]]);
    expect(stderr).not.toHaveBeenCalled();
    expect(run).not.toHaveBeenCalled();
    expect(cleanUp).not.toHaveBeenCalled();
  });

  it('answers an argument mistake with the message and the usage on stderr, exit 2, without running', async () => {
    const run = vi.fn(() => Promise.resolve(0));
    const { spec, warned } = command({ kind: 'error', message: 'unknown option --nope' }, run);
    await expect(commandMain(spec, ['--nope'])).resolves.toBe(2);
    expect(stderr.mock.calls).toEqual([[`unknown option --nope\n\n${USAGE}`]]);
    expect(stdout).not.toHaveBeenCalled();
    expect(warned).toEqual([]);
    expect(run).not.toHaveBeenCalled();
  });

  it("runs with the parsed options and answers the run's exit code, cleaned up", async () => {
    const run = vi.fn(() => Promise.resolve(1));
    const { spec, cleanUp } = command({ kind: 'run', options: 'thing' }, run);
    await expect(commandMain(spec, ['thing'])).resolves.toBe(1);
    expect(run).toHaveBeenCalledWith('thing');
    expect(cleanUp).toHaveBeenCalledOnce();
  });

  it('prints a UsageError and the listed usage errors through warn with the usage, exit 2', async () => {
    for (const error of [new UsageError('cannot read a.json: ENOENT'), new BadConfig('ehrSites must be a list')]) {
      const { spec, warned, cleanUp } = command({ kind: 'run', options: 'x' }, () => Promise.reject(error));
      await expect(commandMain(spec, [])).resolves.toBe(2);
      expect(warned).toEqual([`${error.message}\n\n${USAGE}`]);
      expect(cleanUp).toHaveBeenCalledOnce();
    }
    expect(stderr).not.toHaveBeenCalled();
  });

  it('prints a refusal through warn alone, exit 2', async () => {
    const { spec, warned, cleanUp } = command({ kind: 'run', options: 'x' }, () => Promise.reject(new Refused('the clinician profile was refused')));
    await expect(commandMain(spec, [])).resolves.toBe(2);
    expect(warned).toEqual(['the clinician profile was refused']);
    expect(cleanUp).toHaveBeenCalledOnce();
  });

  it('throws any other error on once it has cleaned up, for the lifecycle to report (exit 1)', async () => {
    const order: string[] = [];
    const { spec, warned } = command({ kind: 'run', options: 'x' }, () => Promise.reject(new Error('browser crashed')));
    spec.cleanUp = () => Promise.resolve(void order.push('cleaned'));
    await expect(commandMain(spec, []).finally(() => order.push('thrown'))).rejects.toThrow('browser crashed');
    expect(order).toEqual(['cleaned', 'thrown']);
    expect(warned).toEqual([]);
  });

  it('leaves an error class it was not given to the lifecycle', async () => {
    const { spec } = command({ kind: 'run', options: 'x' }, () => Promise.reject(new Refused('no')));
    await expect(commandMain({ ...spec, refusals: [] }, [])).rejects.toThrow('no');
  });
});
