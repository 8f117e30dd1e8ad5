import { describe, expect, it } from 'vitest';
import { parseConfig, type Config } from './config';
import { blackPearEnrolments } from './black-pear-enrolment';

const BLACK_PEAR = {
  kind: 'black-pear',
  id: 'black-pear',
  label: 'Black Pear',
  coreAuthUrl: 'https://coreauth.example.org/',
  clientId: 'ehr-launchpad-trust-a',
  odsCode: 'Y90001',
  requestingSystem: 'https://fhir.nhs.uk/Id/accredited-system|200000001234',
};
const PHPKB = { kind: 'phpkb', id: 'kb', label: 'Knowledge base', kbUrl: 'https://kb.example.org' };

function configOf(document: Record<string, unknown>): Config {
  const result = parseConfig({ version: 1, ...document });
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.config;
}

const ES_OLD = { kid: 'es-old', alg: 'ES256', active: false };
const ES_NOW = { kid: 'es-now', alg: 'ES256', active: true };
const RS_NOW = { kid: 'rs-now', alg: 'RS256', active: true };

describe('what Black Pear must enrol', () => {
  it('is the client id as issuer, the launch endpoint as audience and the active key of the partner\'s algorithm', () => {
    const config = configOf({ partners: [BLACK_PEAR] });
    expect(blackPearEnrolments(config, [ES_OLD, RS_NOW, ES_NOW])).toEqual([
      { partnerId: 'black-pear', label: 'Black Pear', signedBy: 'this-browser', issuer: 'ehr-launchpad-trust-a', audience: 'https://coreauth.example.org/launch/v1', alg: 'ES256', keyId: 'es-now' },
    ]);
  });

  it('follows the partner\'s alg, and says when its key is not made yet', () => {
    const config = configOf({ partners: [{ ...BLACK_PEAR, alg: 'RS256' }, { ...BLACK_PEAR, id: 'bp-2', label: 'Black Pear 2', clientId: 'second' }] });
    const [rs, es] = blackPearEnrolments(config, [ES_OLD, RS_NOW]);
    expect(rs).toMatchObject({ alg: 'RS256', keyId: 'rs-now' });
    expect(es).toMatchObject({ partnerId: 'bp-2', issuer: 'second', alg: 'ES256' });
    expect(es).not.toHaveProperty('keyId');
  });

  it('names the broker\'s key set for a partner the broker signs for, and lists no other partner kind', () => {
    const config = configOf({ broker: { url: 'https://broker.example.org/' }, partners: [PHPKB, { ...BLACK_PEAR, via: 'broker' }] });
    expect(blackPearEnrolments(config, [ES_NOW])).toEqual([
      { partnerId: 'black-pear', label: 'Black Pear', signedBy: 'broker', jwksUrl: 'https://broker.example.org/.well-known/jwks.json' },
    ]);
    expect(blackPearEnrolments(configOf({ partners: [PHPKB] }), [ES_NOW])).toEqual([]);
  });

  it('follows broker.require as the launch does', () => {
    const config = configOf({ broker: { url: 'https://broker.example.org', require: true }, partners: [BLACK_PEAR] });
    expect(blackPearEnrolments(config, [ES_NOW])).toMatchObject([{ signedBy: 'broker' }]);
  });
});
