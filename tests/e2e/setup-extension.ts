import type { BrowserContext } from '@playwright/test';
import { enrolInstallation } from '../sandbox/enrol-installation';
import { SANDBOX_CLINICIAN, SANDBOX_SECRETS, sandboxExtensionConfig, type SandboxUrls } from '../sandbox/extension-config';
import { OptionsPage, PopupPage } from './pages/extension-pages';

export interface SetUpOptions {
  config?: unknown;
  skipClinician?: boolean;
  /** Leave the partner secrets untyped (for example when policy delivers them). */
  skipSecrets?: boolean;
}

/** Configures the extension as people do: an administrator in the options page, then a clinician in the popup. */
export async function setUpExtension(context: BrowserContext, sandbox: SandboxUrls, options: SetUpOptions = {}): Promise<void> {
  const admin = await OptionsPage.open(context);
  const imported = await admin.importConfig(options.config ?? sandboxExtensionConfig(sandbox));
  if (!imported.includes('Configuration imported')) throw new Error(`Configuration import failed: ${imported}`);
  for (const secret of options.skipSecrets ? [] : SANDBOX_SECRETS) {
    const saved = await admin.setSecret(secret.partnerId, secret.name, secret.value);
    if (!saved.includes('saved. It will not be shown again')) throw new Error(`Secret ${secret.name} not saved: ${saved}`);
  }
  // Enrolment: the administrator gives Black Pear and NHS login this installation's public keys (the JWKS shown here).
  await enrolInstallation(sandbox, JSON.parse(await admin.page.getByTestId('jwks').inputValue()) as { keys: unknown[] });
  await admin.page.close();
  if (options.skipClinician) return;
  const popup = await PopupPage.open(context);
  const saved = await popup.saveProfile(SANDBOX_CLINICIAN);
  if (!saved.includes('Profile saved')) throw new Error(`Clinician profile not saved: ${saved}`);
  await popup.page.close();
}
