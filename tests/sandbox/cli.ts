import { parseArgs } from 'node:util';
import { BLACK_PEAR, CLINICIANS, PARCHMENT, PATIENTS, PHPKB } from './fixtures';
import { NHS_LOGIN } from './nhs-login-fixtures';
import { ORG_IDP_PATHS } from './org-idp';
import { ORG_IDP } from './org-idp-fixtures';
import { formatNhsNumber } from './patient-format';
import { PKB, PKB_PATHS } from './pkb-fixtures';
import { SERVER_NAMES, startSandbox } from './server';
import type { ServerName } from './server';

/**
 * Starts the sandbox for manual testing: `tsx tests/sandbox/cli.ts [--free-ports] [--ttl <minutes>]`.
 * Fixed ports are SANDBOX_PORT_BASE (default 47101) + the server's index in SERVER_NAMES.
 */

const DEFAULT_PORT_BASE = 47101;
const DEFAULT_TTL_MINUTES = 480;

function fixedPorts(): Record<ServerName, number> {
  const raw = process.env['SANDBOX_PORT_BASE'];
  const base = raw === undefined || raw === '' ? DEFAULT_PORT_BASE : Number(raw);
  if (!Number.isInteger(base) || base < 1024 || base + SERVER_NAMES.length - 1 > 65535) {
    throw new Error(`SANDBOX_PORT_BASE must be an integer port between 1024 and ${65536 - SERVER_NAMES.length}, got "${raw}"`);
  }
  return Object.fromEntries(SERVER_NAMES.map((name, i) => [name, base + i])) as Record<ServerName, number>;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows.reduce<number[]>((acc, row) => row.map((cell, i) => Math.max(acc[i] ?? 0, cell.length)), []);
  return rows.map((row) => '  ' + row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

function banner(urls: Record<ServerName, string>, ttlMinutes: number): string {
  const org = (id: string) => PARCHMENT.organizations.find((o) => o.organizationId === id);
  return [
    'EHR Launchpad partner sandbox',
    '',
    table(SERVER_NAMES.map((name) => [name, urls[name]])),
    '',
    'Demo EHR patients:',
    table(PATIENTS.map((p) => [`${p.family}, ${p.given} (${p.prefix})`, formatNhsNumber(p.nhsNumber), `${urls.ehr}/patients/${p.nhsNumber}`])),
    '',
    'Clinicians:',
    table(CLINICIANS.map((c) => [c.id, c.name, `parchment ${c.parchmentUserId}`])),
    '',
    `Parchment API: POST ${urls['parchment-api']}/external/v1/sso`,
    table([
      ['x-partner-id', PARCHMENT.partnerId],
      ['x-partner-secret', PARCHMENT.partnerSecret],
      ['x-organization-id', PARCHMENT.organizationId],
      ['x-organization-secret', PARCHMENT.organizationSecret],
    ]),
    table(PARCHMENT.users.map((u) => [u.userId, u.name, org(u.organizationId)?.name ?? u.organizationId, u.active ? 'active' : 'inactive'])),
    table(PARCHMENT.patients.map((p) => [p.id, p.name, p.nhsNumber, org(p.organizationId)?.name ?? p.organizationId])),
    '',
    `PHPKB: ${urls.phpkb}/sso.php   secret token ${PHPKB.settings.secretToken}`,
    table(PHPKB.settings.users.map((u) => [u.username, u.name, `groups ${u.groups.join(',')}`, u.active ? 'active' : 'inactive'])),
    '',
    `Black Pear Core Auth: POST ${urls['black-pear']}${BLACK_PEAR.launchPath}   (form: client_assertion, subject_token, patient, birthdate[, location])`,
    table([
      ['aud (both JWTs)', `${urls['black-pear']}${BLACK_PEAR.launchPath}`],
      ['trusted iss', BLACK_PEAR.settings.issuers.join(', ')],
      ['keys', 'none enrolled: POST {"jwks":[<public JWK with kid>]} to /__sandbox/settings'],
      ['serviceIds', Object.entries(BLACK_PEAR.settings.serviceIds).map(([ods, id]) => `${ods} -> ${id}`).join(', ')],
    ]),
    '',
    `NHS login: issuer ${urls['nhs-login']}   (code flow, PKCE S256, nonce required; users ${NHS_LOGIN.users.map((u) => `${u.username}/${u.password}`).join(', ')})`,
    table([
      ['RP1 client', `${NHS_LOGIN.rp1ClientId}  private_key_jwt (ES256/RS256)  redirect ${NHS_LOGIN.rp1RedirectUri}`],
      ['RP1 keys', 'none enrolled: POST {"rp1Jwks":[<public JWK with kid>]} to /__sandbox/settings'],
      ['RP2 launch', `${urls['nhs-login-rp2']}/launch?asserted_login_identity=<jwt>&prompt=none`],
    ]),
    '',
    `PKB: user client ${PKB.userClientId}   (public, PKCE S256, scope ${PKB.scope}, redirect ${PKB.redirectUris.join(' or ')})`,
    table([
      ['authorize', `${urls.pkb}${PKB_PATHS.authorize}`],
      ['token', `POST ${urls.pkb}${PKB_PATHS.token}   (revoke: POST ${urls.pkb}${PKB_PATHS.revocation})`],
      ['OTP', `POST ${urls.pkb}${PKB_PATHS.otp}   (Authorization: Bearer <access token>)`],
      ['OTP login', `${urls.pkb}${PKB_PATHS.otpLogin}?otpToken=<otp>&redirect_uri=<URL-encoded relative path>`],
    ]),
    table(PKB.clinicians.map((c) => [c.username, c.password, c.name, c.locked ? 'locked' : 'active'])),
    '',
    `Organisation sign-in (CIS2-like): issuer ${urls['org-idp']}   (code flow, PKCE S256, nonce required; scopes ${ORG_IDP.scopes.join(' ')})`,
    table([
      ['extension', `identity provider preset "cis2", issuer ${urls['org-idp']}, clientId ${ORG_IDP.clientId} (the CIS2 preset's scope, claims and roles apply)`],
      ['public client', `${ORG_IDP.clientId}  PKCE only  redirect ${ORG_IDP.redirectUris.join(' or ')}`],
      ['key client', `${ORG_IDP.keyClientId}  private_key_jwt (ES256/RS256); none enrolled: POST {"clientJwks":[<public JWK with kid>]} to /__sandbox/settings`],
      ['sandbox', `POST ${urls['org-idp']}${ORG_IDP_PATHS.endSessions}   GET ${urls['org-idp']}${ORG_IDP_PATHS.lastAuthorization}`],
    ]),
    table(
      ORG_IDP.users.map((u) => [
        u.username,
        u.password,
        u.name,
        `uid ${u.uid}`,
        u.roles.map((r) => `${r.person_roleid} ${r.role_name} (${r.org_code})`).join('; ') || 'no roles',
      ]),
    ),
    '',
    `Control API on every server: <url>/__sandbox/health | faults | latency | requests | settings | reset`,
    `Stops after ${ttlMinutes} min, or on Ctrl+C.`,
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'free-ports': { type: 'boolean', default: false },
      ttl: { type: 'string', default: String(DEFAULT_TTL_MINUTES) },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log('Usage: tsx tests/sandbox/cli.ts [--free-ports] [--ttl <minutes>] [--quiet]');
    return;
  }
  const ttlMinutes = Number(values.ttl);
  if (!Number.isFinite(ttlMinutes) || ttlMinutes <= 0) throw new Error(`--ttl must be a positive number of minutes, got "${values.ttl}"`);

  const sandbox = await startSandbox({ ports: values['free-ports'] ? {} : fixedPorts(), quiet: values.quiet });
  console.log(banner(sandbox.urls, ttlMinutes));

  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\nStopping sandbox (${reason})`);
    clearTimeout(timer);
    await sandbox.close();
    process.exit(0);
  };
  // Self-stopping, so a forgotten sandbox does not hold its ports forever.
  const timer = setTimeout(() => void stop(`ttl of ${ttlMinutes} min reached`), ttlMinutes * 60_000);
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
