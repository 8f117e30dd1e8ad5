import { enrolInstallation } from '../sandbox/enrol-installation';
import { SANDBOX_CLINICIAN, SANDBOX_SECRETS, sandboxExtensionConfig, type SandboxUrls } from '../sandbox/extension-config';
import type { Firefox } from './firefox-launcher';
import { OptionsPage, PopupPage } from './pages/extension-pages';

export interface SetUpOptions {
  config?: unknown;
  skipClinician?: boolean;
  /** Leave the partner secrets untyped (for example when policy delivers them). */
  skipSecrets?: boolean;
}

/**
 * Configures the extension as people do, as tests/e2e/setup-extension.ts does in Chromium: an administrator
 * imports the configuration and types the secrets in the options page, enrols this installation's keys with
 * Black Pear and NHS login, then a clinician saves a profile in the popup.
 */
export async function setUpExtension(firefox: Firefox, sandbox: SandboxUrls, options: SetUpOptions = {}): Promise<void> {
  const admin = await OptionsPage.open(firefox);
  const imported = await admin.importConfig(options.config ?? sandboxExtensionConfig(sandbox));
  if (!imported.includes('Configuration imported')) throw new Error(`Configuration import failed: ${imported}`);
  for (const secret of options.skipSecrets ? [] : SANDBOX_SECRETS) {
    const saved = await admin.setSecret(secret.partnerId, secret.name, secret.value);
    if (!saved.includes('saved. It will not be shown again')) throw new Error(`Secret ${secret.name} not saved: ${saved}`);
  }
  await enrolInstallation(sandbox, await admin.jwks());
  await admin.tab.close();
  if (options.skipClinician) return;
  const popup = await PopupPage.open(firefox);
  const saved = await popup.saveProfile(SANDBOX_CLINICIAN);
  if (!saved.includes('Profile saved')) throw new Error(`Clinician profile not saved: ${saved}`);
  await popup.tab.close();
}
