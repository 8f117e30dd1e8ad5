import type { SandboxUrls } from './extension-config';

/**
 * What an administrator does with the installation's public keys (the JWKS the options page shows): gives them
 * to Black Pear and to NHS login, here through each simulator's control API. Shared by the Chromium and Firefox
 * set-ups.
 */
export async function enrolInstallation(sandbox: SandboxUrls, jwks: { keys: unknown[] }): Promise<void> {
  for (const [server, setting] of [['black-pear', 'jwks'], ['nhs-login', 'rp1Jwks']] as const) {
    const enrolled = await fetch(`${sandbox[server]}/__sandbox/settings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ [setting]: jwks.keys }),
    });
    if (!enrolled.ok) throw new Error(`${server} enrolment failed: ${enrolled.status} ${await enrolled.text()}`);
  }
}
