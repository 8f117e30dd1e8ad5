import { expect } from '@playwright/test';
import { extensionUrl, type Firefox } from '../firefox-launcher';
import { AuthWindow } from './auth-window';
import { Tab } from './tab';

/** Opens an extension page in a new tab and waits for its heading to be drawn. */
async function openExtensionPage(firefox: Firefox, path: string, heading: string): Promise<Tab> {
  const tab = await Tab.open(firefox, extensionUrl(path));
  const drawn = () => tab.run((h: string) => [...document.querySelectorAll('h1')].some((el) => el.textContent?.trim() === h), [heading]);
  await expect.poll(drawn, { timeout: 15_000, message: `${path} did not draw its heading "${heading}"` }).toBe(true);
  return tab;
}

/** Waits for the text under a status element to appear (a <p> or <li> inside it) and answers all of it. */
async function statusText(tab: Tab, selector: string, inner = 'p, li'): Promise<string> {
  await tab.waitForNode(`${selector} :is(${inner})`, 15_000);
  return (await tab.text(selector)) ?? '';
}

/** The options page, where an administrator imports configuration and types partner secrets. */
export class OptionsPage {
  constructor(readonly tab: Tab) {}

  static async open(firefox: Firefox): Promise<OptionsPage> {
    return new OptionsPage(await openExtensionPage(firefox, 'src/options/index.html', 'EHR Launchpad settings'));
  }

  /** Pastes the document into the configuration box and imports it; answers the import's result. */
  async importConfig(config: unknown): Promise<string> {
    await this.tab.fill('#config-json', JSON.stringify(config, null, 2));
    await this.tab.clickButton('Import configuration');
    return statusText(this.tab, '[data-testid="import-result"]');
  }

  /** Types a partner's secret (by its configuration name) with real key presses and saves it; answers the message under the field. */
  async setSecret(partnerId: string, name: string, value: string): Promise<string> {
    const id = `secret-${partnerId}-${name}`;
    await this.tab.typeInto(`[id="${id}"]`, value);
    const save = await this.tab.node(
      (fieldId: string) => [...(document.getElementById(fieldId)?.closest('form')?.querySelectorAll('button') ?? [])].find((b) => /^(Save secret|Replace)$/.test(b.textContent?.trim() ?? '')) ?? null,
      [id],
    );
    if (!save) throw new Error(`No save button beside secret ${id}`);
    await this.tab.click(save);
    return statusText(this.tab, `[data-testid="${id}-result"]`, 'p');
  }

  /** This installation's public keys, as the options page shows them for enrolment. */
  async jwks(): Promise<{ keys: unknown[] }> {
    await this.tab.waitForNode('[data-testid="jwks"]');
    return JSON.parse(await this.tab.run(() => document.querySelector<HTMLTextAreaElement>('[data-testid="jwks"]')!.value)) as { keys: unknown[] };
  }
}

/** The labels of the popup's profile fields, by the field's name attribute. */
const PROFILE_FIELDS = ['displayName', 'username', 'email', 'parchmentUserId', 'sdsUserId', 'roleProfileId', 'roleName'];

/** The toolbar popup, opened as a page in a tab (as the browser would, minus the toolbar). */
export class PopupPage {
  constructor(readonly tab: Tab) {}

  static async open(firefox: Firefox): Promise<PopupPage> {
    return new PopupPage(await openExtensionPage(firefox, 'src/popup/index.html', 'EHR Launchpad'));
  }

  /** Opens the saved profile's form (folded once a profile is saved); nothing to do when it is already open. */
  async editProfile(): Promise<void> {
    const state = () =>
      this.tab.run(() => {
        const named = (n: string) => [...document.querySelectorAll('button')].some((b) => (b.getAttribute('aria-label') ?? b.textContent ?? '').trim() === n && b.getClientRects().length > 0);
        return named('Save profile') ? 'open' : named('Edit your clinician profile') ? 'folded' : 'loading';
      });
    await expect.poll(state, { timeout: 15_000 }).not.toBe('loading');
    if ((await state()) === 'folded') await this.tab.clickButton('Edit your clinician profile');
    await this.tab.button('Save profile');
  }

  /** Types the profile's fields and saves it; answers the status line and any message under a field. */
  async saveProfile(profile: Record<string, string>): Promise<string> {
    await this.editProfile();
    for (const [key, value] of Object.entries(profile)) {
      if (!PROFILE_FIELDS.includes(key)) throw new Error(`No profile field ${key}`);
      await this.tab.typeInto(`input[name="${key}"]`, value);
    }
    // A new outcome, not the one a previous save left on screen.
    const outcome = () => this.tab.run(() => document.querySelector('[data-testid="profile-result"]')?.getAttribute('data-outcome') ?? '0');
    const before = await outcome();
    await this.tab.clickButton('Save profile');
    await expect.poll(outcome, { timeout: 15_000 }).not.toBe(before);
    return this.tab.run(() =>
      [document.querySelector<HTMLElement>('[data-testid="profile-result"]')?.innerText.trim() ?? '', ...[...document.querySelectorAll<HTMLElement>('[data-field-error]')].map((e) => e.innerText)].join('\n'),
    );
  }

  /** Signs out of EHR Launchpad and its partners with the popup's Sign out button; answers the result line. */
  async signOut(): Promise<string> {
    await this.tab.clickButton('Sign out');
    return statusText(this.tab, '[data-testid="sign-out-result"]', 'p');
  }

  /** Signs in to a partner with a sign-in step (NHS login), filling the provider's page in the auth window. */
  async signInToPartner(partnerId: string, label: string, username: string, password: string): Promise<string> {
    const auth = AuthWindow.expect(this.tab.firefox);
    await this.tab.clickButton(`Sign in to ${label}`);
    await (await auth).signIn({ Username: username, Password: password }, 'Continue');
    return statusText(this.tab, `[data-sign-in="${partnerId}"] [role="status"]`, 'p');
  }

  /** Pairs with an OAuth partner (PKB), filling the partner's sign-in page in the auth window. */
  async pairWith(partnerId: string, label: string, username: string, password: string): Promise<string> {
    const auth = AuthWindow.expect(this.tab.firefox);
    await this.tab.clickButton(`Pair with ${label}`);
    const window = await auth;
    await window.tab.typeInto('[data-testid="pkb-login-username"]', username);
    await window.tab.typeInto('[data-testid="pkb-login-password"]', password);
    await window.tab.click(await window.tab.waitForNode('[data-testid="pkb-login-submit"]'));
    return statusText(this.tab, `[data-pairing="${partnerId}"] [role="status"]`, 'p');
  }

  /** Signs in with the organisation's provider (the sandbox's CIS2-like org-idp) in the auth window. */
  async signInWithOrganisation(username: string, password: string, provider = 'NHS Care Identity'): Promise<string> {
    const auth = AuthWindow.expect(this.tab.firefox);
    await this.tab.clickButton(`Sign in with ${provider}`);
    await (await auth).signIn({ Username: username, Password: password }, 'Continue');
    return statusText(this.tab, '[data-testid="identity-result"]', 'p');
  }
}
