import { describe, expect, it } from 'vitest';
import { addressProblem, parseArgs } from './args';

const base = ['--config', 'trust.json', '--clinician', 'clinician.json', '--page', 'https://ehr.example.org/patients/1'];

describe('check arguments', () => {
  it('takes the three required inputs, secrets optional, production build by default', () => {
    expect(parseArgs(base)).toEqual({
      kind: 'run',
      options: { configFile: 'trust.json', clinicianFile: 'clinician.json', page: 'https://ehr.example.org/patients/1', build: 'production' },
    });
    const withSecrets = parseArgs([...base, '--secrets=secrets.json']);
    expect(withSecrets.kind === 'run' && withSecrets.options.secretsFile).toBe('secrets.json');
  });

  it('accepts --name=value as well as --name value', () => {
    expect(parseArgs(['--config=a.json', '--clinician=b.json', '--page=https://ehr.example.org/'])).toMatchObject({ kind: 'run', options: { configFile: 'a.json', clinicianFile: 'b.json' } });
  });

  it('names every missing required option', () => {
    expect(parseArgs([])).toEqual({ kind: 'error', message: 'missing --config, --clinician, --page' });
    expect(parseArgs(['--config', 'a.json', '--page', 'https://ehr.example.org/'])).toEqual({ kind: 'error', message: 'missing --clinician' });
  });

  it('an option without its value is an error, not the next option taken as a value', () => {
    expect(parseArgs(['--config', '--clinician', 'b.json', '--page', 'https://ehr.example.org/'])).toEqual({ kind: 'error', message: '--config needs a file name' });
    expect(parseArgs([...base.slice(0, 4), '--page'])).toEqual({ kind: 'error', message: '--page needs an address' });
  });

  it('refuses unknown options, stray arguments and a value on the flag', () => {
    expect(parseArgs([...base, '--json'])).toEqual({ kind: 'error', message: 'unknown option --json' });
    expect(parseArgs([...base, 'extra'])).toEqual({ kind: 'error', message: 'unexpected argument extra' });
    expect(parseArgs([...base, '--sandbox-build=yes'])).toEqual({ kind: 'error', message: '--sandbox-build takes no value' });
  });

  it('help wins', () => {
    expect(parseArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseArgs(['-h', '--unknown'])).toEqual({ kind: 'help' });
  });

  it('a page on http://127.0.0.1 needs --sandbox-build, which loads the sandbox build', () => {
    const local = ['--config', 'a.json', '--clinician', 'b.json', '--page', 'http://127.0.0.1:47101/patients/9990000018'];
    const refused = parseArgs(local);
    expect(refused.kind).toBe('error');
    expect(refused.kind === 'error' && refused.message).toMatch(/^--page: http:\/\/127\.0\.0\.1:47101 is on http:\/\/127\.0\.0\.1, which only the sandbox build runs on: add --sandbox-build/);
    expect(parseArgs([...local, '--sandbox-build'])).toMatchObject({ kind: 'run', options: { build: 'sandbox' } });
  });

  it('other pages must be https in either build', () => {
    for (const page of ['http://ehr.example.org/', 'http://localhost:8080/', 'ftp://ehr.example.org/', 'ehr.example.org', 'https://user:pw@ehr.example.org/']) {
      const parsed = parseArgs(['--config', 'a.json', '--clinician', 'b.json', '--page', page, '--sandbox-build']);
      expect(parsed.kind, page).toBe('error');
    }
  });
});

describe('addressProblem', () => {
  it('https is fine for both builds; loopback http only for the sandbox build', () => {
    expect(addressProblem('https://ehr.example.org/x', 'production')).toBeNull();
    expect(addressProblem('https://ehr.example.org/x', 'sandbox')).toBeNull();
    expect(addressProblem('http://127.0.0.1:1/', 'sandbox')).toBeNull();
    expect(addressProblem('http://127.0.0.1:1/', 'production')).toMatch(/--sandbox-build/);
    expect(addressProblem('http://ehr.example.org/', 'sandbox')).toMatch(/not https/);
  });
});
