import { expect } from '@playwright/test';
import type { Firefox } from '../firefox-launcher';
import { nextTab } from './new-tab';
import type { Tab } from './tab';

/** The window identity.launchWebAuthFlow opens for a provider's sign-in page. */
export class AuthWindow {
  constructor(readonly tab: Tab) {}

  /** Call before the click that opens the window, await after. */
  static async expect(firefox: Firefox): Promise<AuthWindow> {
    return new AuthWindow(await nextTab(firefox));
  }

  /** Types each field (found by its label's text) with real key presses, then clicks the named button. */
  async signIn(fields: Record<string, string>, button: string): Promise<void> {
    for (const [label, value] of Object.entries(fields)) {
      // The window may still be on its way through the provider's redirects to the sign-in page.
      const find = () =>
        this.tab
          .run((wanted: string) => {
            const control = [...document.querySelectorAll('label')].find((l) => l.textContent?.trim() === wanted)?.control;
            if (control && !control.id) control.id = `field-${wanted.toLowerCase()}`;
            return control?.id ?? null;
          }, [label])
          .catch(() => null);
      let id: string | null = null;
      await expect.poll(async () => (id = await find()), { timeout: 10_000, message: `The sign-in page has no field labelled ${label}` }).not.toBeNull();
      await this.tab.typeInto(`[id="${id!}"]`, value);
    }
    await this.tab.clickButton(button);
  }
}
