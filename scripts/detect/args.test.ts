import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUT_MS, parseArgs } from './args';

describe('detect arguments', () => {
  it('takes inputs with the defaults', () => {
    expect(parseArgs(['a.html', 'https://ehr.example.org/p/1'])).toEqual({
      kind: 'run',
      options: { profile: 'generic', json: false, timeoutMs: DEFAULT_TIMEOUT_MS, inputs: ['a.html', 'https://ehr.example.org/p/1'] },
    });
  });

  it('reads every option, as --name value or --name=value, anywhere on the line', () => {
    const parsed = parseArgs(['--config', 'trust.json', 'a.html', '--json', '--timeout=500', '--profile', 'example-ehr', 'b.html']);
    expect(parsed).toEqual({
      kind: 'run',
      options: { configFile: 'trust.json', profile: 'example-ehr', json: true, timeoutMs: 500, inputs: ['a.html', 'b.html'] },
    });
  });

  it('treats everything after -- as inputs', () => {
    expect(parseArgs(['--', '--json'])).toMatchObject({ kind: 'run', options: { json: false, inputs: ['--json'] } });
  });

  it('asks for help', () => {
    expect(parseArgs(['a.html', '--help'])).toEqual({ kind: 'help' });
    expect(parseArgs(['-h'])).toEqual({ kind: 'help' });
  });

  it.each([
    [[], 'give at least one URL or HTML file'],
    [['--json'], 'give at least one URL or HTML file'],
    [['--verbose', 'a.html'], 'unknown option --verbose'],
    [['a.html', '--config'], '--config needs a file name'],
    [['--timeout', 'soon', 'a.html'], '--timeout needs a whole number'],
    [['--timeout=-1', 'a.html'], '--timeout needs a whole number'],
    [['--timeout', '1.5', 'a.html'], '--timeout needs a whole number'],
    [['--timeout', '999999', 'a.html'], '--timeout needs a whole number'],
    [['--profile', 'Not A Name', 'a.html'], '--profile needs a profile name'],
    [['--json=yes', 'a.html'], '--json takes no value'],
  ])('refuses %j', (argv, message) => {
    const parsed = parseArgs(argv);
    expect(parsed.kind).toBe('error');
    expect(parsed.kind === 'error' && parsed.message).toContain(message);
  });
});
