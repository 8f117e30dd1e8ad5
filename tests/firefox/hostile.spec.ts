import { anyOf, FAKE_LINE, PLANTED_GLOBALS, REFUSAL, REFUSED_ATTACKS, WITHSTOOD_ATTACKS, type RefusedCase } from '../e2e/hostile-cases';
import type { SandboxUrls } from '../sandbox/extension-config';
import { PATIENTS } from '../sandbox/fixtures';
import { expect, sandboxUrls, test, useConfiguredFirefox } from './fixtures';
import type { Firefox } from './firefox-launcher';
import { EhrPage } from './pages/ehr-page';
import type { BarSnapshot } from './pages/launch-bar';
import { nextTab } from './pages/new-tab';
import { Tab } from './pages/tab';

/**
 * The red team's hostile pages in Firefox: the same demo EHR routes and case lists as Chromium's
 * tests/e2e/hostile-bar.spec.ts and hostile-globals.spec.ts (tests/e2e/hostile-cases.ts). Each test opens the
 * attack, waits for the page to say it is in place, clicks as a person would (real BiDi input), and checks that
 * no tab opened, nothing reached Parchment, and the bar said why.
 *
 * What Firefox lacks: Intersection Observer v2 (`trackVisibility`), so there is no browser visibility verdict;
 * the bar's own checks (geometry, hit testing, computed style, and its own search for what paints over it,
 * src/content/see-through.ts) must refuse on their own, and here they are all that is tested. The covering
 * pages that let clicks through (half-opaque, blend mode, clip with the fake line above, vanishing decoy,
 * patched DOM functions) are the ones Chromium refuses through the browser's verdict; here only see-through.ts
 * refuses them. The vanishing-overlay page waits for that verdict before its click in Chromium; here it
 * cannot, and the click follows the decoy's removal instead.
 */

const john = PATIENTS[0]!;
const JOHN = 'Open John Smith in Parchment';
const { DISTORTED, PARTLY_HIDDEN, UNSETTLED, DOUBLE_CLICK, POINTER, COVERED } = REFUSAL;
/** Reads run in a sandbox realm: the hostile pages patch the DOM functions a page-realm read would call. */
const READ = { sandbox: 'ehr-launchpad-hostile' };

const browser = useConfiguredFirefox({ timeoutMs: 120_000 });
let sandbox: SandboxUrls;
let firefox: Firefox;

test.beforeAll(() => {
  sandbox = sandboxUrls();
  firefox = browser.get();
});

async function parchmentRequests(): Promise<number> {
  const response = await fetch(`${sandbox['parchment-api']}/__sandbox/requests?path=${encodeURIComponent('/external/v1/sso')}`);
  return ((await response.json()) as unknown[]).length;
}

const markOf = (tab: Tab) => tab.run(() => document.documentElement.getAttribute('data-hostile-bar'), [], READ);

async function waitForMark(tab: Tab, state: string): Promise<void> {
  await expect.poll(() => markOf(tab), { timeout: 15_000, message: `the page did not mark ${state}` }).toBe(state);
}

/** Opens the attack page, waits for John's bar and then for the page to say its attack is in place. */
async function openAttack(kind: string, state = kind): Promise<EhrPage> {
  const ehr = await EhrPage.open(firefox, sandbox.ehr);
  await ehr.tab.goto(`${sandbox.ehr}/hostile/${kind}/${john.nhsNumber}`);
  await ehr.bar.waitForButton(JOHN, 20_000);
  await waitForMark(ehr.tab, state);
  return ehr;
}

async function expectJohnsRecord(tab: Tab): Promise<void> {
  await expect.poll(() => tab.text('[data-testid="patient-nhs"]'), { timeout: 15_000 }).toBe(john.nhsNumber);
}

interface ClickOutcome {
  bar: BarSnapshot;
  opened: Tab | undefined;
  expectNothingSent(): Promise<void>;
}

/** Does `act` (the clicks), then waits until the bar's status matches `refusal` or a tab opens, whichever first. */
async function clickOutcome(ehr: EhrPage, act: () => Promise<void>, refusal: RegExp): Promise<ClickOutcome> {
  const sent = await parchmentRequests();
  const before = new Set((await firefox.tabs()).map((t) => t.context));
  await act();
  let bar: BarSnapshot | null = null;
  let opened: string | undefined;
  await expect
    .poll(
      async () => {
        bar = await ehr.bar.snapshot();
        opened = (await firefox.tabs()).find((t) => !before.has(t.context))?.context;
        return opened !== undefined || (bar !== null && refusal.test(bar.status));
      },
      { timeout: 10_000, message: `neither a refusal matching ${refusal} nor a new tab; bar status: "${(bar as BarSnapshot | null)?.status}"` },
    )
    .toBe(true);
  const last = bar as unknown as BarSnapshot;
  return {
    bar: last,
    opened: opened ? new Tab(firefox, opened) : undefined,
    async expectNothingSent() {
      expect(last.status).toMatch(refusal);
      expect((await firefox.tabs()).length).toBe(before.size);
      expect(await parchmentRequests()).toBe(sent);
    },
  };
}

async function expectRefused(ehr: EhrPage, act: () => Promise<void>, refusal: RegExp): Promise<void> {
  const outcome = await clickOutcome(ehr, act, refusal);
  expect(outcome.opened ? await outcome.opened.url() : undefined, `a tab opened although the click had to be refused (bar status: "${outcome.bar.status}")`).toBeUndefined();
  await outcome.expectNothingSent();
}

/** As in Chromium: the bar may refuse, or make the attack harmless (its own style wins); a launch must then be John's. */
async function expectRefusedOrHarmless(ehr: EhrPage, refusal: RegExp, harmless: boolean, attack: string): Promise<void> {
  const { bar, opened, expectNothingSent } = await clickOutcome(ehr, () => ehr.bar.click(JOHN), refusal);
  if (opened) {
    expect(harmless, `the click launched although ${attack} was still in effect`).toBe(true);
    expect(bar.text).toContain('For John Smith · NHS 999 000 0018');
    await expectJohnsRecord(opened);
  } else {
    await expectNothingSent();
  }
  test.info().annotations.push({ type: 'defence', description: opened ? 'made harmless: the bar looks as it should, and launched John' : `refused: ${bar.status}` });
}

/** Real mouse input at a point: `clicks` presses, one straight after another (two make a double-click). */
async function clickTimes(tab: Tab, x: number, y: number, clicks: number): Promise<void> {
  const press = [{ type: 'pointerDown' as const, button: 0 }, { type: 'pointerUp' as const, button: 0 }];
  await firefox.client.send('input.performActions', {
    context: tab.context,
    actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: [{ type: 'pointerMove', x: Math.round(x), y: Math.round(y), origin: 'viewport' }, ...Array.from({ length: clicks }, () => press).flat()] }],
  });
}

const hostBox = (tab: Tab) =>
  tab.run(() => {
    const box = document.querySelector('ehr-launchpad-bar')!.getBoundingClientRect();
    return { x: box.x, y: box.y, width: box.width, height: box.height };
  }, [], READ);

test.describe('hostile pages that attack the launch bar, in Firefox', { tag: '@hostile' }, () => {
  test("a clip-path on the bar's host cuts its patient line, and the page shows another patient's line through the gap: refused, or the clip has no effect", async () => {
    const ehr = await openAttack('clip-host');
    expect(await ehr.tab.text('[data-testid="hostile-fake-line"]')).toContain(FAKE_LINE);
    const clip = await ehr.tab.run(() => getComputedStyle(document.querySelector('ehr-launchpad-bar')!).clipPath, [], READ);
    await expectRefusedOrHarmless(ehr, anyOf(DISTORTED, COVERED, PARTLY_HIDDEN), clip === 'none', `the clip (${clip})`);
  });

  for (const { kind, what, refusal } of [
    { kind: 'clip-host-over', what: "a clip-path on the bar's host with another patient's line drawn above the bar", refusal: anyOf(DISTORTED, COVERED, PARTLY_HIDDEN) },
    { kind: 'clip-ancestor', what: "a clip-path on the bar's container cuts its patient line, and the page shows another patient's line through the gap", refusal: anyOf(DISTORTED, COVERED, PARTLY_HIDDEN) },
    ...REFUSED_ATTACKS,
  ] satisfies RefusedCase[]) {
    test(`${what}: the click is refused`, async () => {
      const ehr = await openAttack(kind);
      await expectRefused(ehr, () => ehr.bar.click(JOHN), refusal);
    });
  }

  for (const kind of ['host-style', 'host-style-important'] as const) {
    test(`the page rewrites the host's style attribute${kind.endsWith('important') ? ' with !important' : ''} to hide the title and patient line: refused, or the bar's own style wins and John's launch is John's`, async () => {
      const ehr = await openAttack(kind);
      const computed = await ehr.tab.run(() => {
        const style = getComputedStyle(document.querySelector('ehr-launchpad-bar')!);
        return { textIndent: style.textIndent, letterSpacing: style.letterSpacing, wordSpacing: style.wordSpacing };
      }, [], READ);
      const neutralised = computed.textIndent === '0px' && computed.letterSpacing === 'normal' && computed.wordSpacing === '0px';
      await expectRefusedOrHarmless(ehr, DISTORTED, neutralised, `the page's style on the host (${JSON.stringify(computed)})`);
    });
  }

  test('a cursor image whose hotspot is 110 px from its arrow: the mouse click is refused, the keyboard still launches', async () => {
    const ehr = await openAttack('cursor');
    await expectRefused(ehr, () => ehr.bar.click(JOHN), POINTER);
    const [host] = await ehr.tab.locate('ehr-launchpad-bar');
    const buttons = await ehr.tab.locate('button', host!.value!.shadowRoot!);
    const names = await Promise.all(buttons.map((b) => ehr.tab.run((el: Element) => el.getAttribute('aria-label') ?? el.textContent?.trim() ?? '', [b], READ)));
    const button = buttons[names.indexOf(JOHN)];
    expect(button, `no button named ${JOHN} in ${JSON.stringify(names)}`).toBeDefined();
    await ehr.tab.run((el: HTMLElement) => el.focus(), [button!], READ);
    const opened = nextTab(firefox);
    await ehr.tab.press('\uE007');
    await expectJohnsRecord(await opened);
  });

  /** Lines the page's Refresh button up with the bar's first button, as the attacker would; answers the point to click. */
  async function aimRefresh(ehr: EhrPage): Promise<{ x: number; y: number }> {
    const bar = await ehr.bar.waitForButton(JOHN);
    const button = bar.buttons.find((b) => b.name === JOHN)!;
    const host = await hostBox(ehr.tab);
    await ehr.tab.run((x: number, y: number) => (window as unknown as { __hostileBar: { aim(x: number, y: number): void } }).__hostileBar.aim(x, y), [button.x - host.x, button.y - host.y]);
    const refresh = await ehr.tab.run(() => {
      const box = document.querySelector('[data-testid="hostile-refresh"]')!.getBoundingClientRect();
      return { x: box.x + box.width / 2, y: box.y + box.height / 2, top: box.y };
    }, [], READ);
    expect(Math.abs(refresh.x - button.x)).toBeLessThan(2);
    expect(refresh.top).toBeGreaterThan(host.y + host.height);
    return { x: refresh.x, y: refresh.y };
  }

  /** The attack worked as the page wanted: the bar's host is now under the point clicked. */
  async function expectBarUnder(ehr: EhrPage, point: { x: number; y: number }): Promise<void> {
    await waitForMark(ehr.tab, 'moved');
    expect(await ehr.tab.run((x: number, y: number) => document.elementFromPoint(x, y)?.localName ?? null, [point.x, point.y], READ)).toBe('ehr-launchpad-bar');
  }

  test("a double-click on the page's Refresh button, whose first click moves the bar under the pointer: the second click is refused", async () => {
    const ehr = await openAttack('dblclick-move', 'armed');
    const point = await aimRefresh(ehr);
    await ehr.tab.mouseMove(point.x, point.y);
    await expectRefused(ehr, () => clickTimes(ehr.tab, point.x, point.y, 2), anyOf(UNSETTLED, DOUBLE_CLICK));
    await expectBarUnder(ehr, point);
  });

  test('two single clicks, the second as soon as the first has moved the bar under the pointer: the second is refused', async () => {
    const ehr = await openAttack('dblclick-move', 'armed');
    const point = await aimRefresh(ehr);
    await ehr.tab.mouseMove(point.x, point.y);
    await expectRefused(
      ehr,
      async () => {
        await clickTimes(ehr.tab, point.x, point.y, 1);
        await waitForMark(ehr.tab, 'moved');
        await clickTimes(ehr.tab, point.x, point.y, 1);
      },
      anyOf(UNSETTLED, DOUBLE_CLICK),
    );
    await expectBarUnder(ehr, point);
  });

  test('an opaque decoy over the bar, taken away just before the click once the pointer rests on it: the click is refused (no browser visibility verdict in Firefox: the bar decides alone)', async () => {
    const ehr = await openAttack('vanishing-overlay');
    await expectRefused(
      ehr,
      async () => {
        const point = await ehr.bar.settle(JOHN);
        // Chromium's page waits for the browser's verdict "visible" again; Firefox gives none, so the click
        // follows the decoy's removal.
        await waitForMark(ehr.tab, 'removed');
        await ehr.tab.clickAt(point.x, point.y);
      },
      COVERED,
    );
  });
});

test.describe('hostile pages the bar withstood before issue 17, in Firefox', { tag: '@hostile' }, () => {
  for (const { kind, what, refusal } of WITHSTOOD_ATTACKS) {
    test(`${what}: the click is refused`, async () => {
      const ehr = await openAttack(kind);
      await expectRefused(ehr, () => ehr.bar.click(JOHN), refusal);
    });
  }

  test('the partner tab has no handle on the EHR page and is not told its address', async () => {
    const ehr = await EhrPage.open(firefox, sandbox.ehr);
    await ehr.openPatient(john.nhsNumber);
    const tab = await ehr.launch(JOHN);
    await expectJohnsRecord(tab);
    expect(await tab.run(() => window.opener === null)).toBe(true);
    expect(await tab.run(() => document.referrer)).not.toContain(new URL(sandbox.ehr).host);
  });
});

test.describe('hostile pages that name elements after the extension API, in Firefox', { tag: '@hostile' }, () => {
  test('a form named "browser" with an input named "runtime", and an element named "chrome": the bar still reads John and launches him', async () => {
    const tab = await Tab.open(firefox);
    // Planted before the content script runs, as the page's own markup would be (Chromium rewrites the response).
    const { script } = await firefox.client.send('script.addPreloadScript', {
      functionDeclaration: `() => document.addEventListener('DOMContentLoaded', () => document.body.insertAdjacentHTML('afterbegin', ${JSON.stringify(PLANTED_GLOBALS)}))`,
      contexts: [tab.context],
    });
    try {
      const ehr = new EhrPage(tab, sandbox.ehr);
      await ehr.openPatient(john.nhsNumber);
      // The page's own view: the planted names are in place.
      expect(await tab.run(() => (window as unknown as { browser: { runtime: { id: string } } }).browser.runtime.id)).toBe('planted-id');
      await ehr.bar.waitForButton(JOHN, 20_000);
      await expectJohnsRecord(await ehr.launch(JOHN));
    } finally {
      await firefox.client.send('script.removePreloadScript', { script });
    }
  });
});
