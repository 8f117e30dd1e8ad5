import type { Firefox } from '../firefox-launcher';
import { LaunchBar } from './launch-bar';
import { nextTab } from './new-tab';
import { Tab } from './tab';

/** The sandbox's demo EHR in a Firefox tab, with its launch bar. */
export class EhrPage {
  readonly bar: LaunchBar;

  constructor(
    readonly tab: Tab,
    private readonly origin: string,
  ) {
    this.bar = new LaunchBar(tab);
  }

  static async open(firefox: Firefox, origin: string): Promise<EhrPage> {
    return new EhrPage(await Tab.open(firefox), origin);
  }

  /** A patient's record, in the site's default layout or the one named. */
  async openPatient(nhsNumber: string, layout?: string): Promise<void> {
    await this.tab.goto(`${this.origin}/patients/${nhsNumber}${layout ? `?layout=${layout}` : ''}`);
  }

  /** Clicks a launch button with a trusted click and answers the partner tab it opens, once its document has loaded. */
  async launch(button: string): Promise<Tab> {
    const opened = nextTab(this.tab.firefox);
    await this.bar.click(button);
    return opened;
  }

  /** Clicks a launch button that must be refused: answers the bar once its status matches, and checks no tab opened. */
  async launchRefused(button: string, status: RegExp) {
    const before = (await this.tab.firefox.tabs()).length;
    await this.bar.click(button);
    // The status is the launch's end: a tab the background opens is open before it answers.
    const bar = await this.bar.waitForStatus(status);
    if ((await this.tab.firefox.tabs()).length !== before) throw new Error(`A tab opened although the launch was refused: ${bar.status}`);
    return bar;
  }
}
