import { readFile } from 'node:fs/promises';
import type { BrowserContext, Page } from '@playwright/test';
import { EXTENSION_ID } from '../browser';

export const extensionUrl = (path: string) => `chrome-extension://${EXTENSION_ID}/${path}`;

/** The options page, where an administrator imports configuration and types partner secrets. */
export class OptionsPage {
  constructor(readonly page: Page) {}

  static async open(context: BrowserContext): Promise<OptionsPage> {
    const page = await context.newPage();
    await page.goto(extensionUrl('src/options/index.html'));
    const heading = page.getByRole('heading', { name: 'EHR Launchpad settings' });
    // Right after the browser starts, the first extension page occasionally stays blank (3 of 174 tests in one
    // run, always the first page opened): load it once more rather than wait out the test.
    if (!(await heading.waitFor({ timeout: 15_000 }).then(() => true, () => false))) {
      console.warn('The options page was still blank after 15 s: loading it again.');
      await page.reload();
      await heading.waitFor();
    }
    return new OptionsPage(page);
  }

  async importConfig(config: unknown): Promise<string> {
    await this.page.getByLabel('Configuration document (JSON)').fill(JSON.stringify(config, null, 2));
    await this.page.getByRole('button', { name: 'Import configuration' }).click();
    const result = this.page.getByTestId('import-result');
    await result.locator('p, li').first().waitFor();
    return (await result.innerText()).trim();
  }

  /** The audit trail as the CSV export the options page downloads. */
  async auditCsv(): Promise<string> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.page.getByRole('button', { name: 'Export as CSV' }).click()]);
    return readFile(await download.path(), 'utf8');
  }

  /** Types a partner's secret (by its configuration name) and saves it; answers the message under the field. */
  async setSecret(partnerId: string, name: string, value: string): Promise<string> {
    const id = `secret-${partnerId}-${name}`;
    const field = this.page.locator(`[id="${id}"]`);
    await field.fill(value);
    await this.page.locator('form', { has: field }).getByRole('button', { name: /^(Save secret|Replace)$/ }).click();
    const status = this.page.getByTestId(`${id}-result`);
    await status.locator('p').waitFor();
    return (await status.innerText()).trim();
  }
}

/** The toolbar popup, opened as a page (as the browser would, minus the toolbar). */
export class PopupPage {
  constructor(readonly page: Page) {}

  static async open(context: BrowserContext): Promise<PopupPage> {
    const page = await context.newPage();
    await page.goto(extensionUrl('src/popup/index.html'));
    await page.getByRole('heading', { name: 'EHR Launchpad' }).waitFor();
    return new PopupPage(page);
  }

  /** Signs in to a partner with a sign-in step, filling the provider's page in the browser's auth window. */
  async signInToPartner(partnerId: string, label: string, username: string, password: string): Promise<string> {
    const authWindow = this.page.context().waitForEvent('page');
    await this.page.getByRole('button', { name: `Sign in to ${label}` }).click();
    const auth = await authWindow;
    await auth.getByLabel('Username').fill(username);
    await auth.getByLabel('Password').fill(password);
    await auth.getByRole('button', { name: 'Continue' }).click();
    const status = this.page.locator(`[data-sign-in="${partnerId}"] [role="status"] p`);
    await status.waitFor();
    return (await status.innerText()).trim();
  }

  /** Pairs with an OAuth partner (PKB), filling the partner's sign-in page in the browser's auth window. */
  async pairWith(partnerId: string, label: string, username: string, password: string, action: 'Pair with' | 'Pair again with' = 'Pair with'): Promise<string> {
    const authWindow = this.page.context().waitForEvent('page');
    await this.page.getByRole('button', { name: `${action} ${label}` }).click();
    const auth = await authWindow;
    await auth.getByTestId('pkb-login-username').fill(username);
    await auth.getByTestId('pkb-login-password').fill(password);
    await auth.getByTestId('pkb-login-submit').click();
    return this.pairingStatus(partnerId);
  }

  async unpair(partnerId: string, label: string): Promise<string> {
    await this.page.getByRole('button', { name: `Unpair ${label}` }).click();
    return this.pairingStatus(partnerId);
  }

  private async pairingStatus(partnerId: string): Promise<string> {
    const status = this.page.locator(`[data-pairing="${partnerId}"] [role="status"] p`);
    await status.waitFor();
    return (await status.innerText()).trim();
  }

  async pairingState(partnerId: string): Promise<string> {
    return (await this.page.getByTestId(`pairing-state-${partnerId}`).innerText()).trim();
  }

  /**
   * Signs in with the organisation's provider (the sandbox's CIS2-like org-idp) in the browser's auth window,
   * choosing `role` on the provider's role page when it shows one. `switchRole` starts from "Switch role".
   * Answers the popup's status line.
   */
  async signInWithOrganisation(username: string, password: string, options: { role?: string; switchRole?: boolean; provider?: string } = {}): Promise<string> {
    const authWindow = this.page.context().waitForEvent('page');
    const button = options.switchRole ? 'Switch role' : `Sign in with ${options.provider ?? 'NHS Care Identity'}`;
    await this.page.getByRole('button', { name: button }).click();
    const auth = await authWindow;
    await auth.getByLabel('Username').fill(username);
    await auth.getByLabel('Password').fill(password);
    await auth.getByRole('button', { name: 'Continue', exact: true }).click();
    if (options.role) await auth.getByRole('button', { name: `Continue as ${options.role}` }).click();
    const status = this.page.getByTestId('identity-result').locator('p');
    await status.waitFor();
    return (await status.innerText()).trim();
  }

  /** Opens the saved profile's form (folded once a profile is saved); nothing to do when it is already open. */
  async editProfile(): Promise<void> {
    const edit = this.page.getByRole('button', { name: 'Edit your clinician profile' });
    const save = this.page.getByRole('button', { name: 'Save profile' });
    await edit.or(save).first().waitFor();
    if (await edit.isVisible()) await edit.click();
    await save.waitFor();
  }

  /** Fills and saves the profile; answers the status line and any message under a field. */
  async saveProfile(profile: Record<string, string>): Promise<string> {
    const labels: Record<string, string> = {
      displayName: 'Name',
      username: 'Username',
      email: 'Email',
      parchmentUserId: 'Parchment user id',
      sdsUserId: 'SDS user id',
      roleProfileId: 'Role profile id',
      roleName: 'Role name',
    };
    await this.editProfile();
    for (const [key, value] of Object.entries(profile)) {
      await this.page.getByLabel(labels[key] ?? key, { exact: true }).fill(value);
    }
    const status = this.page.getByTestId('profile-result');
    // A new outcome, not the one a previous save left on screen.
    const before = (await status.getAttribute('data-outcome')) ?? '0';
    await this.page.getByRole('button', { name: 'Save profile' }).click();
    await this.page.locator(`[data-testid="profile-result"]:not([data-outcome="${before}"])`).waitFor({ state: 'attached' });
    const fieldErrors = await this.page.locator('[data-field-error]').allInnerTexts();
    return [(await status.innerText()).trim(), ...fieldErrors].join('\n');
  }
}
