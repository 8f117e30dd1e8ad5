import type { BrowserContext, Locator, Page } from '@playwright/test';
import { EXTENSION_ID } from '../browser';

/**
 * chrome://serviceworker-internals, used to stop the extension's service worker the way the browser does when
 * it is idle. (Closing the worker's CDP target does not stop it while Playwright is attached.)
 */
export class ServiceWorkerInternals {
  private constructor(
    readonly page: Page,
    private readonly registration: Locator,
  ) {}

  static async open(context: BrowserContext): Promise<ServiceWorkerInternals> {
    const page = await context.newPage();
    await page.goto('chrome://serviceworker-internals/');
    const registration = page.locator('.serviceworker-registration', { hasText: `chrome-extension://${EXTENSION_ID}/` });
    await registration.waitFor();
    return new ServiceWorkerInternals(page, registration);
  }

  async runningStatus(): Promise<string> {
    return (await this.registration.innerText()).match(/Running Status: (\w+)/)?.[1] ?? 'UNKNOWN';
  }

  async stop(): Promise<void> {
    await this.registration.getByRole('button', { name: 'Stop' }).first().click();
    await this.page.waitForFunction(
      (id) => [...document.querySelectorAll('.serviceworker-registration')].some((r) => r.textContent?.includes(id) && /Running Status:\s*STOPPED/.test(r.textContent)),
      `chrome-extension://${EXTENSION_ID}/`,
    );
  }
}
