import type { Page } from '@playwright/test';
import { LaunchBar } from './launch-bar';
import { openTabCount } from './open-tabs';

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
    const before = await openTabCount(context);
    await this.bar.click(button);
    // The status is the launch's end: the bar refused by itself, or the background answered, and a tab the
    // background opens is open before it answers. So the browser's tab list is final here.
    const bar = await this.bar.waitForStatus(status);
    if ((await openTabCount(context)) !== before) throw new Error(`A tab opened although the launch was refused: ${bar.status}`);
    return bar;
  }
}
