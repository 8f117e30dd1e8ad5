import type { Page } from '@playwright/test';
import { LaunchBar } from './launch-bar';

/** The sandbox's demo EHR. */
export class EhrPage {
  readonly bar: LaunchBar;

  constructor(
    readonly page: Page,
    private readonly origin: string,
  ) {
    this.bar = new LaunchBar(page);
  }

  async openPatient(nhsNumber: string): Promise<void> {
    await this.page.goto(`${this.origin}/patients/${nhsNumber}`);
  }

  async openList(): Promise<void> {
    await this.page.goto(`${this.origin}/`);
  }

  /** Clicks a launch button with a trusted click and answers the partner tab it opens, once its document has loaded. */
  async launch(button: string): Promise<Page> {
    const opened = this.page.context().waitForEvent('page');
    await this.bar.click(button);
    const partner = await opened;
    await partner.waitForLoadState('domcontentloaded');
    return partner;
  }

  /** Clicks a launch button that must be refused: answers the bar's status once it matches, and checks no tab opened. */
  async launchRefused(button: string, status: RegExp) {
    const context = this.page.context();
    const before = context.pages().length;
    await this.bar.click(button);
    const bar = await this.bar.waitForStatus(status);
    await this.page.waitForTimeout(200);
    if (context.pages().length !== before) throw new Error(`A tab opened although the launch was refused: ${bar.status}`);
    return bar;
  }
}
