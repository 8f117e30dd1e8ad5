import { BLACK_PEAR, CLINICIANS, PARCHMENT, PHPKB } from './fixtures';
import { NHS_LOGIN } from './nhs-login-fixtures';
import { ORG_IDP } from './org-idp-fixtures';
import { PKB } from './pkb-fixtures';
import type { ServerName } from './types';

/**
 * The extension's configuration for a running sandbox: what an administrator would import in the options
 * page, the secrets they would type there, and the clinician profile a clinician would enter in the popup.
 */

export type SandboxUrls = Record<ServerName, string>;

/**
 * The detection profile for the demo EHR's layouts: its banners (classic table, SPA header, busy, late, split),
 * the banner frame of the iframe layout (and of the xframe layout, whose banner service origin the sandbox
 * configuration adds as `frameOrigins`), and the launch bar placed just below the banner.
 */
export const DEMO_EHR_PROFILE = {
  name: 'demo-ehr',
  banner: { selector: '#patient-banner, #spa-banner, #busy-banner, .patient-banner, header[aria-label="Patient banner"]' },
  frames: ['iframe.banner-frame'],
  // The record's summary card repeats the date of birth: a banner left half-updated by the SPA disagrees with it.
  crossChecks: [{ field: 'birthDate', selector: 'section[aria-label="Summary"] .card p', regex: '^Born (.+)$' }],
  anchor: { selector: '#patient-banner, #spa-banner, #busy-banner', position: 'after' },
  corner: 'bottom-right',
};

/**
 * Per-row launch on the clinic list (`/list`, `?layout=list`): each row's name, NHS number and date of birth
 * cells, and the buttons in its Actions cell. Offered only when a profile asks for it; e2e tests add it.
 */
export const DEMO_EHR_ROWS = {
  selector: 'tr[data-testid="list-row"]',
  fields: {
    name: { selector: 'td:nth-child(2)' },
    nhsNumber: { selector: 'td:nth-child(3)' },
    birthDate: { selector: 'td:nth-child(4)' },
  },
  anchor: { selector: 'td.actions', position: 'append' },
};

/**
 * The organisation's sign-in: the CIS2-like sandbox provider with the CIS2 preset, and Parchment's user ids
 * delivered as a table keyed by the verified SDS user id (as a trust would deliver it by policy).
 */
export function sandboxIdentity(urls: SandboxUrls, extra: Record<string, unknown> = {}) {
  return {
    provider: {
      preset: 'cis2',
      issuer: urls['org-idp'],
      clientId: ORG_IDP.clientId,
      acrValues: 'AAL3_ANY',
      partnerUserIds: { parchment: { key: 'sdsUserId', table: Object.fromEntries(CLINICIANS.map((c) => [c.sdsUserId, c.parchmentUserId])) } },
    },
    ...extra,
  };
}

export function sandboxExtensionConfig(urls: SandboxUrls) {
  const patientIds = Object.fromEntries(
    PARCHMENT.patients.filter((p) => p.organizationId === PARCHMENT.organizationId).map((p) => [p.nhsNumber, p.id]),
  );
  return {
    version: 1,
    ehrSites: [{ origin: urls.ehr, profile: 'demo-ehr' }],
    // The xframe layout's banner comes from the EHR's banner service, on an origin of its own.
    profiles: [{ ...DEMO_EHR_PROFILE, frameOrigins: [urls['ehr-banner']] }],
    partners: [
      {
        kind: 'parchment',
        id: 'parchment',
        label: 'Parchment',
        apiBaseUrl: `${urls['parchment-api']}/external`,
        portalOrigin: urls['parchment-portal'],
        partnerId: PARCHMENT.partnerId,
        organizationId: PARCHMENT.organizationId,
        target: 'prescriptions',
        patientIds,
      },
      {
        kind: 'phpkb',
        id: 'knowledge-base',
        label: 'Knowledge base',
        kbUrl: urls.phpkb,
        groups: [3],
      },
      {
        kind: 'black-pear',
        id: 'black-pear',
        label: 'Black Pear',
        coreAuthUrl: urls['black-pear'],
        clientId: BLACK_PEAR.settings.issuers[0],
        odsCode: 'Y90001',
        requestingSystem: 'https://fhir.nhs.uk/Id/accredited-system|200000000123',
        location: 'Riverside Medical Centre',
      },
      {
        kind: 'nhs-login',
        // The id names the redirect URI path: https://<extension id>.chromiumapp.org/nhs-login (Firefox: redirect-uris.ts)
        id: 'nhs-login',
        label: 'NHS login',
        issuer: urls['nhs-login'],
        clientId: NHS_LOGIN.rp1ClientId,
        scope: 'openid profile',
        vtr: '["P9.Cp.Cd"]',
        launchUrlTemplate: `${urls['nhs-login-rp2']}/launch?asserted_login_identity={assertion}&prompt={prompt}`,
      },
      {
        kind: 'pkb',
        // The id names the redirect URI path: https://<extension id>.chromiumapp.org/pkb (Firefox: redirect-uris.ts)
        id: 'pkb',
        label: 'Patients Know Best',
        baseUrl: urls.pkb,
        clientId: PKB.userClientId,
        scope: PKB.scope,
        revokePath: PKB.paths.revocation,
        prefetch: 'click',
      },
    ],
    identity: sandboxIdentity(urls),
  };
}

export const SANDBOX_SECRETS: { partnerId: string; name: string; value: string }[] = [
  { partnerId: 'parchment', name: 'partnerSecret', value: PARCHMENT.partnerSecret },
  { partnerId: 'parchment', name: 'organizationSecret', value: PARCHMENT.organizationSecret },
  { partnerId: 'knowledge-base', name: 'secretToken', value: PHPKB.settings.secretToken },
];

const clinician = CLINICIANS[0]!;
export const SANDBOX_CLINICIAN = {
  displayName: clinician.name,
  username: clinician.id,
  email: clinician.email,
  sdsUserId: clinician.sdsUserId,
  roleProfileId: clinician.roleProfileId,
  roleName: clinician.roleName,
  parchmentUserId: clinician.parchmentUserId,
};
