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
}
