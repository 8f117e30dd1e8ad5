import { describe, expect, it } from 'vitest';
import { EMPTY_CONFIG, parseConfig, type Config } from './config';
import { effectiveConfig, readPolicy } from './effective-config';

const parchment = {
  kind: 'parchment',
  id: 'parchment',
  label: 'Parchment',
  apiBaseUrl: 'https://api.parchmenthealth.io/external',
  portalOrigin: 'https://portal.parchment.health',
  partnerId: 'p1',
  organizationId: 'o1',
};
const kb = { kind: 'phpkb', id: 'knowledge-base', label: 'Knowledge base', kbUrl: 'https://kb.trust.nhs.uk/kb', prefetch: 'eager' };

function config(input: Record<string, unknown>): Config {
  const result = parseConfig({ version: 1, ...input });
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.config;
}

describe('reading policy', () => {
  it('treats no policy as none', () => {
    expect(readPolicy(undefined)).toEqual({ present: false, policy: { lockedSettings: [] }, problems: [] });
    expect(readPolicy({}).present).toBe(false);
  });

  it('keeps good parts and reports bad ones field by field, without quoting values', () => {
    const { policy, problems, present } = readPolicy({
      partners: [parchment, { ...parchment, id: 'second', portalOrigin: 'http://secret-host.example' }, kb, { ...kb }],
      ehrSites: [{ origin: 'https://ehr.trust.nhs.uk' }, { origin: 'https://ehr.trust.nhs.uk/path' }],
      signOut: { idleMinutes: 15, onScreenLock: 'yes' },
      auditForwarding: { enabled: true, endpoint: 'https://audit.trust.nhs.uk/fhir/AuditEvent', extra: 1 },
      prefetch: 'none',
      lockedSettings: ['signOut', 'everything'],
      secrets: { parchment: { partnerSecret: 'x' } },
      surprise: true,
    });
    expect(present).toBe(true);
    expect(policy.partners?.map((p) => p.id)).toEqual(['parchment', 'knowledge-base']);
    expect(policy.ehrSites).toEqual([{ origin: 'https://ehr.trust.nhs.uk', profile: 'generic' }]);
    expect(policy.signOut).toEqual({ idleMinutes: 15 });
    expect(policy.auditForwarding).toEqual({ enabled: true, endpoint: 'https://audit.trust.nhs.uk/fhir/AuditEvent' });
    expect(policy.prefetch).toBeUndefined();
    expect(policy.lockedSettings).toEqual(['signOut']);
    expect(problems).toEqual([
      expect.stringMatching(/^policy ehrSites\[1\]\.origin: must be an origin only.*\(entry ignored\)$/),
      expect.stringMatching(/^policy partners\[1\]\.portalOrigin: must be an https:\/\/ address.*\(entry ignored\)$/),
      'policy partners[3]: "knowledge-base" is listed twice (entry ignored)',
      'policy auditForwarding.extra: not a known setting: ignored',
      expect.stringMatching(/^policy signOut\.onScreenLock: .* \(ignored\)$/),
      'policy prefetch: not an object: ignored',
      expect.stringMatching(/^policy lockedSettings: "everything" is not a setting that can be locked/),
      'policy surprise: not a known policy: ignored',
    ]);
    expect(problems.join('\n')).not.toContain('secret-host');
  });

  it('reports a policy that is not an object at all', () => {
    expect(readPolicy('x').problems).toEqual(['policy: not an object: ignored']);
    expect(readPolicy({ partners: {} }).problems).toEqual(['policy partners: not a list: ignored']);
  });
});

describe('effective configuration', () => {
  const user = config({ partners: [parchment, { ...kb, label: 'Local KB' }], ehrSites: [{ origin: 'https://local-ehr.trust.nhs.uk' }], signOut: { idleMinutes: 30, onScreenLock: false } });

  it('is the user configuration when there is no policy', () => {
    const result = effectiveConfig(EMPTY_CONFIG, user, { lockedSettings: [] });
    expect(result.config).toEqual(user);
    expect(result).toMatchObject({ locked: [], problems: [], fromPolicy: { partners: [], ehrSites: [], fields: [] } });
  });

  it('policy can require the organisation sign-in and lock it; identity settings naming no partner are reported', () => {
    const { policy, problems } = readPolicy({
      identity: { required: true, provider: { preset: 'cis2', issuer: 'https://cis2.example.nhs.uk', clientId: 'c', partnerUserIds: { parchmnet: { claim: 'x' } } }, verifiedFields: { parchment: ['partnerUserId'] } },
      lockedSettings: ['identity'],
    });
    expect(problems).toEqual([]);
    const result = effectiveConfig(EMPTY_CONFIG, config({ partners: [parchment], identity: { required: false, maxHours: 4 } }), policy);
    expect(result.locked).toContain('identity');
    // Locked: the user's maxHours is ignored, policy's required applies.
    expect(result.config.identity).toMatchObject({ required: true, maxHours: 12, verifiedFields: { parchment: ['partnerUserId'] } });
    expect(result.problems).toEqual(['identity.provider.partnerUserIds: there is no partner "parchmnet"']);
  });

  it('policy can name the launch broker and require it; without a url there is no broker, and the options page says so', () => {
    const { policy } = readPolicy({ broker: { url: 'https://broker.trust.nhs.uk', require: true }, lockedSettings: ['broker'] });
    const result = effectiveConfig(EMPTY_CONFIG, config({ partners: [parchment], broker: { url: 'https://elsewhere.example.org' } }), policy);
    expect(result.config.broker).toEqual({ url: 'https://broker.trust.nhs.uk', require: true });
    const none = effectiveConfig(EMPTY_CONFIG, config({ partners: [parchment] }), readPolicy({ broker: { require: true } }).policy);
    expect(none.config.broker).toBeUndefined();
    expect(none.problems).toEqual(['broker: require without a url: there is no launch broker, so every partner launches from this computer']);
  });

  it('required without a provider is reported (launches that need identity are then refused)', () => {
    expect(effectiveConfig(EMPTY_CONFIG, config({ identity: { required: true } }), { lockedSettings: [] }).problems).toEqual([
      'identity: required without a provider: clinicians cannot sign in, so launches that need identity are refused',
    ]);
  });

  it('fills from the defaults', () => {
    const result = effectiveConfig(EMPTY_CONFIG, EMPTY_CONFIG, { lockedSettings: [] });
    expect(result.config).toEqual(EMPTY_CONFIG);
  });

  it('lets policy win, entry by entry and field by field', () => {
    const { policy } = readPolicy({
      partners: [{ ...kb, label: 'Trust KB' }],
      ehrSites: [{ origin: 'https://ehr.trust.nhs.uk', profile: 'generic' }],
      signOut: { onScreenLock: true },
    });
    const result = effectiveConfig(EMPTY_CONFIG, user, policy);
    expect(result.config.partners.map((p) => [p.id, p.label])).toEqual([
      ['knowledge-base', 'Trust KB'],
      ['parchment', 'Parchment'],
    ]);
    expect(result.config.ehrSites.map((s) => s.origin)).toEqual(['https://ehr.trust.nhs.uk', 'https://local-ehr.trust.nhs.uk']);
    // The user's idle minutes stay, the policy's screen-lock setting wins.
    expect(result.config.signOut).toEqual({ idleMinutes: 30, onScreenLock: true });
    expect(result.fromPolicy).toEqual({ partners: ['knowledge-base'], ehrSites: ['https://ehr.trust.nhs.uk'], profiles: [], fields: ['signOut.onScreenLock'] });
  });

  it('ignores the user values of a locked section', () => {
    const { policy } = readPolicy({ partners: [parchment], signOut: { onScreenLock: true }, lockedSettings: ['partners', 'signOut', 'ehrSites'] });
    const result = effectiveConfig(EMPTY_CONFIG, user, policy);
    expect(result.config.partners.map((p) => p.id)).toEqual(['parchment']);
    expect(result.config.ehrSites).toEqual([]);
    expect(result.config.signOut).toEqual({ idleMinutes: 0, onScreenLock: true });
    expect(result.locked).toEqual(['partners', 'signOut', 'ehrSites']);
  });

  it('caps every partner at the policy prefetch maximum', () => {
    const { policy } = readPolicy({ prefetch: { maximum: 'hover' } });
    const eager = config({ partners: [{ ...kb, prefetch: 'eager' }, { ...parchment, prefetch: 'click' }] });
    const result = effectiveConfig(EMPTY_CONFIG, eager, policy);
    expect(result.config.partners.map((p) => p.prefetch)).toEqual(['hover', 'click']);
    const off = effectiveConfig(EMPTY_CONFIG, eager, readPolicy({ prefetch: { maximum: 'click' } }).policy);
    expect(off.config.partners.map((p) => p.prefetch)).toEqual(['click', 'click']);
  });

  it('turns forwarding off, with a problem, when it ends up enabled without an endpoint', () => {
    const result = effectiveConfig(EMPTY_CONFIG, user, readPolicy({ auditForwarding: { enabled: true } }).policy);
    expect(result.config.auditForwarding.enabled).toBe(false);
    expect(result.problems).toEqual(['auditForwarding: enabled without an endpoint: forwarding is off']);
    const withEndpoint = effectiveConfig(EMPTY_CONFIG, config({ auditForwarding: { enabled: false, endpoint: 'https://audit.trust.nhs.uk/in' } }), readPolicy({ auditForwarding: { enabled: true } }).policy);
    expect(withEndpoint.config.auditForwarding).toEqual({ enabled: true, endpoint: 'https://audit.trust.nhs.uk/in' });
  });
});

describe('effective configuration: detection profiles', () => {
  it('policy adds and overrides profiles by name, reports a bad one, and can lock them', async () => {
    const { readPolicy, effectiveConfig } = await import('./effective-config');
    const { EMPTY_CONFIG } = await import('./config');
    const user = { ...EMPTY_CONFIG, profiles: [{ name: 'ehr', banner: { selector: '#mine' }, corner: 'bottom-right' as const }, { name: 'local-only', corner: 'bottom-right' as const }] };
    const reading = readPolicy({ profiles: [{ name: 'ehr', banner: { selector: '#trust' } }, { name: 'Bad Name' }], lockedSettings: [] });
    expect(reading.problems).toEqual([expect.stringMatching(/^policy profiles\[1\]\.name: .*\(entry ignored\)$/)]);
    const merged = effectiveConfig(EMPTY_CONFIG, user, reading.policy);
    expect(merged.config.profiles.map((p) => [p.name, p.banner?.selector])).toEqual([['ehr', '#trust'], ['local-only', undefined]]);
    expect(merged.fromPolicy.profiles).toEqual(['ehr']);
    const locked = effectiveConfig(EMPTY_CONFIG, user, readPolicy({ profiles: [{ name: 'ehr' }], lockedSettings: ['profiles'] }).policy);
    expect(locked.config.profiles.map((p) => p.name)).toEqual(['ehr']);
    expect(locked.locked).toContain('profiles');
  });
});

describe('effective configuration: partner tabs after the patient changes', () => {
  it('takes each partner\'s setting and read-only flag from policy, entry by entry, and ignores follow on a partner not read-only', () => {
    const { policy, problems } = readPolicy({
      partners: [
        { ...parchment, staleTab: 'close' },
        { ...kb, staleTab: 'follow', readOnly: true },
        { ...kb, id: 'writes', staleTab: 'follow' },
      ],
      lockedSettings: ['partners'],
    });
    expect(problems).toEqual([
      'policy partners[2].staleTab: follow relaunches the tab automatically, so it is only for a read-only partner: set "readOnly": true, or use mark (entry ignored)',
    ]);
    // The user's own setting for the same partner does not survive: policy replaces the whole entry.
    const user = config({ partners: [{ ...parchment, staleTab: 'none' }] });
    const result = effectiveConfig(EMPTY_CONFIG, user, policy);
    expect(result.problems).toEqual([]);
    expect(result.locked).toEqual(['partners']);
    expect(result.config.partners.map((p) => [p.id, p.staleTab, p.readOnly])).toEqual([
      ['parchment', 'close', undefined],
      ['knowledge-base', 'follow', true],
    ]);
  });

  it('keeps a policy partner\'s setting when partners are not locked, alongside the user\'s own partners', () => {
    const { policy } = readPolicy({ partners: [{ ...kb, staleTab: 'none' }] });
    const result = effectiveConfig(EMPTY_CONFIG, config({ partners: [{ ...parchment, staleTab: 'mark' }] }), policy);
    expect(result.config.partners.map((p) => [p.id, p.staleTab])).toEqual([
      ['knowledge-base', 'none'],
      ['parchment', 'mark'],
    ]);
  });
});
