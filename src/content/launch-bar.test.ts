// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../shared/runtime', () => ({ uiString: (key: string, subs: string[] = []) => `${key}${subs.length ? `(${subs.join(',')})` : ''}` }));

// happy-dom has no layout: the click checks are the browser's business (e2e); here they pass unless a test says not.
const guard = vi.hoisted(() => ({ refusal: null as null | 'covered' | 'faded' | 'top-layer' }));
vi.mock('./click-guard', () => ({
  guardClicks: () => ({ refusal: () => guard.refusal, visibility: { start() {}, stop() {}, verdict: async () => true }, dispose() {} }),
}));

const { createLaunchBar } = await import('./launch-bar');

const JOHN = { nhsNumber: '9990000018', birthDate: '1985-03-12', name: { family: 'SMITH', given: 'John', prefix: 'Mr' } };
const ready = { id: 'pkb', label: 'Patients Know Best', state: 'ready' as const };
const parchment = { id: 'parchment', label: 'Parchment', state: 'ready' as const };

/** The bar's shadow root is closed; tests reach it the way the browser's accessibility tree would not need to. */
function openShadow() {
  const original = Element.prototype.attachShadow;
  let root: ShadowRoot | undefined;
  Element.prototype.attachShadow = function (init) {
    root = original.call(this, init);
    return root;
  };
  return {
    get root() {
      return root!;
    },
    restore: () => (Element.prototype.attachShadow = original),
  };
}

function callbacks() {
  return {
    onLaunch: vi.fn(async (_partnerId: string): Promise<{ notice?: string }> => ({})),
    onPrefetch: vi.fn(),
    onRefused: vi.fn(),
    onSignIn: vi.fn(),
    onMinimise: vi.fn(),
    onOpenMenu: vi.fn(async (): Promise<{ opened: boolean; shortcut?: string }> => ({ opened: true })),
  };
}

function setUp(overrides: Partial<ReturnType<typeof callbacks>> = {}) {
  const shadow = openShadow();
  const calls = { ...callbacks(), ...overrides };
  const bar = createLaunchBar(calls);
  shadow.restore();
  const root = shadow.root;
  return {
    bar,
    calls,
    view: () => (root.querySelector('.bar') as HTMLElement).dataset.view,
    toggle: () => root.querySelector('button.toggle') as HTMLButtonElement,
    peek: () => root.querySelector('.peek')!.textContent,
    launchButton: (id: string) => root.querySelector(`button[data-partner="${id}"]`) as HTMLButtonElement,
    text: (selector: string) => root.querySelector(selector)?.textContent ?? '',
    root,
  };
}

/** A click as the browser makes it for a person (the bar launches only on those). */
function trustedClick(target: Element): void {
  const event = new MouseEvent('click', { bubbles: true, detail: 1 });
  Object.defineProperty(event, 'isTrusted', { value: true });
  target.dispatchEvent(event);
}

beforeEach(() => {
  guard.refusal = null;
  document.body.replaceChildren();
});

describe('launch bar', () => {
  it('a note arriving later keeps the same button elements, sits above them and describes the button', () => {
    const shadow = openShadow();
    const bar = createLaunchBar(callbacks());
    shadow.restore();
    bar.render(JOHN, undefined, { partners: [ready], minimised: false });
    const before = shadow.root.querySelector('button[data-partner]');
    bar.render(JOHN, undefined, { partners: [{ ...ready, hint: 'PKB holds data from other organisations.' }] });
    const after = shadow.root.querySelector('button[data-partner]')!;
    expect(after).toBe(before);
    const hint = shadow.root.querySelector('.hint')!;
    expect(hint.textContent).toBe('PKB holds data from other organisations.');
    expect(after.getAttribute('aria-describedby')).toBe(hint.id);
    // Above the buttons in document order, so a late note never pushes a bottom-anchored button.
    expect(hint.compareDocumentPosition(after) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    bar.render(JOHN, undefined, { partners: [ready] });
    expect(shadow.root.querySelector('.hint')).toBeNull();
    expect(after.hasAttribute('aria-describedby')).toBe(false);
  });

  it('ignores clicks that page script makes, and asks for a prefetch once on hover when the partner wants it', () => {
    const { bar, calls, launchButton } = setUp();
    bar.render(JOHN, undefined, { partners: [{ ...ready, prefetchOnHover: true }], minimised: false });
    const button = launchButton('pkb');
    button.click();
    button.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(calls.onLaunch).not.toHaveBeenCalled();
    button.dispatchEvent(new Event('pointerenter'));
    button.dispatchEvent(new Event('focus'));
    expect(calls.onPrefetch).toHaveBeenCalledTimes(1);
    expect(calls.onPrefetch).toHaveBeenCalledWith('pkb', JOHN);
  });

  it('tells the background when the pointer reaches any ready button (to wake the worker), and never for one that is not ready', () => {
    const { bar, calls, launchButton } = setUp();
    bar.render(JOHN, undefined, { partners: [ready, { ...ready, id: 'parchment', label: 'Parchment', state: 'pairing-needed' }], minimised: false });
    launchButton('pkb').dispatchEvent(new Event('pointerenter'));
    launchButton('parchment').dispatchEvent(new Event('pointerenter'));
    expect(calls.onPrefetch.mock.calls).toEqual([['pkb', JOHN]]);
  });

  it('a pairing-needed button is marked disabled and says why without a click, with the way to fix it', () => {
    const { bar, launchButton, text, root } = setUp();
    bar.render(JOHN, undefined, { partners: [parchment, { ...ready, state: 'pairing-needed', message: 'Pair with Patients Know Best first.' }], minimised: false });
    const button = launchButton('pkb');
    expect(button.getAttribute('aria-disabled')).toBe('true');
    const why = root.querySelector('.why')!;
    expect(why.textContent).toBe('Pair with Patients Know Best first.');
    expect(button.getAttribute('aria-describedby')).toBe(why.id);
    expect((root.querySelector('.reasons') as HTMLElement).hidden).toBe(false);
    expect(text('.fix')).toBe('barOpenMenu barShortcutHint(barShortcutDefault)');
    // Shown as information: a click on the button repeats it in the neutral tone, never as an error.
    trustedClick(button);
    expect(text('.status')).toBe('Pair with Patients Know Best first.');
    expect((root.querySelector('.status') as HTMLElement).dataset.kind).toBe('notice');
  });

  it('has no reason line when every partner can launch (or only needs the sign-in its button does)', () => {
    const { bar, root } = setUp();
    bar.render(JOHN, undefined, { partners: [parchment, { ...ready, state: 'sign-in-needed', message: 'Sign in first.' }], minimised: false });
    expect(root.querySelector('.why')).toBeNull();
    expect((root.querySelector('.reasons') as HTMLElement).hidden).toBe(true);
  });

  it('"Open EHR Launchpad" asks the background on a trusted click, and names the shortcut when the popup cannot open', async () => {
    const onOpenMenu = vi.fn(async () => ({ opened: false, shortcut: 'Ctrl+Shift+E' }));
    const { bar, calls, root, text } = setUp({ onOpenMenu });
    bar.render(JOHN, undefined, { partners: [{ ...ready, state: 'setup-needed', message: 'Not set up.' }], minimised: false });
    const open = root.querySelector('button.open-menu') as HTMLButtonElement;
    open.click();
    expect(calls.onOpenMenu).not.toHaveBeenCalled();
    trustedClick(open);
    await vi.waitFor(() => expect(text('.status')).toBe('barOpenMenuByShortcut(Ctrl+Shift+E)'));
    onOpenMenu.mockResolvedValueOnce({ opened: false } as never);
    trustedClick(open);
    await vi.waitFor(() => expect(text('.status')).toBe('barOpenMenuFromToolbar'));
  });

  it('takes its colours from the EHR page, not from the system: dark only on a dark page', () => {
    const { bar, root } = setUp();
    document.body.style.backgroundColor = 'rgb(255, 255, 255)';
    bar.render(JOHN, undefined, { partners: [parchment], minimised: false });
    expect((root.querySelector('.bar') as HTMLElement).dataset.scheme).toBe('light');
    document.body.style.backgroundColor = 'rgb(20, 20, 20)';
    bar.render(JOHN, undefined, { partners: [parchment, ready], minimised: false });
    expect((root.querySelector('.bar') as HTMLElement).dataset.scheme).toBe('dark');
    document.body.style.backgroundColor = '';
  });
});

describe('a bar that stays out of the way', () => {
  it('with no patient: a small closed tab, which opens to say why and is not remembered as minimised', () => {
    const { bar, calls, view, toggle, text } = setUp();
    bar.render(null, 'invalid-nhs-number', { partners: [ready], minimised: false }, 'NHS number 943 476 5918 fails the check digit');
    expect(view()).toBe('tab');
    expect(toggle().textContent).toBe('barTabNoPatient');
    expect(toggle().getAttribute('aria-expanded')).toBe('false');
    toggle().click();
    expect(view()).toBe('full');
    expect(toggle().getAttribute('aria-expanded')).toBe('true');
    expect(text('.patient')).toBe('problem_invalid_nhs_numberNHS number 943 476 5918 fails the check digit');
    expect(text('.reason')).toBe('NHS number 943 476 5918 fails the check digit');
    toggle().click();
    expect(view()).toBe('tab');
    expect(calls.onMinimise).not.toHaveBeenCalled();
  });

  it('a list page with row buttons: the tab itself points to the rows', () => {
    const { bar, view, toggle } = setUp();
    bar.render(null, 'choose-row', null);
    expect(view()).toBe('tab');
    expect(toggle().textContent).toBe('barTabChooseRow');
  });

  it('a patient is not drawn until the site preference is known, so a minimised bar never flashes open', () => {
    const { bar, view } = setUp();
    bar.render(JOHN, undefined, null);
    expect(view()).toBe('pending');
    bar.render(JOHN, undefined, { partners: [ready], minimised: true });
    expect(view()).toBe('tab');
  });

  it('minimise and restore: the tab says whom it is for, one click restores, the background is told each time', () => {
    const { bar, calls, view, toggle, peek } = setUp();
    bar.render(JOHN, undefined, { partners: [ready], minimised: false });
    expect(view()).toBe('full');
    expect(toggle().getAttribute('aria-label')).toBe('barMinimise');
    toggle().click();
    expect(calls.onMinimise).toHaveBeenLastCalledWith(true);
    expect(view()).toBe('tab');
    expect(toggle().textContent).toBe('barTitle');
    expect(toggle().getAttribute('aria-expanded')).toBe('false');
    expect(peek()).toBe('barFor John SMITH · barNhsNumber(999 000 0018) · barBirthDate(12-Mar-1985)');
    expect(toggle().getAttribute('aria-describedby')).toBe('peek');
    // A later answer from the background does not undo what the clinician just did on this page.
    bar.render(JOHN, undefined, { partners: [ready], minimised: false });
    expect(view()).toBe('tab');
    toggle().click();
    expect(calls.onMinimise).toHaveBeenLastCalledWith(false);
    expect(view()).toBe('full');
  });

  it('a minimised bar never launches, even on a trusted click', async () => {
    const { bar, calls, launchButton } = setUp();
    bar.render(JOHN, undefined, { partners: [ready], minimised: true });
    trustedClick(launchButton('pkb'));
    await Promise.resolve();
    expect(calls.onLaunch).not.toHaveBeenCalled();
    expect(calls.onRefused).not.toHaveBeenCalled();
  });

  it('a "Sign in to launch" button opens the sign-in on a trusted click and launches nothing', () => {
    const { bar, calls, launchButton, text } = setUp();
    bar.render(JOHN, undefined, { partners: [{ ...ready, state: 'sign-in-needed', message: 'Sign in with NHS Care Identity to launch.' }], minimised: false });
    const button = launchButton('pkb');
    expect(button.textContent).toBe('Patients Know Best: barSignInToLaunch');
    button.click();
    expect(calls.onSignIn).not.toHaveBeenCalled();
    trustedClick(button);
    expect(calls.onSignIn).toHaveBeenCalledTimes(1);
    expect(calls.onLaunch).not.toHaveBeenCalled();
    expect(text('.status')).toBe('barSigningIn');
  });

  it('a click the bar refuses is reported, for the popup and the badge', () => {
    const { bar, calls, launchButton, text } = setUp();
    bar.render(JOHN, undefined, { partners: [ready], minimised: false });
    guard.refusal = 'faded';
    trustedClick(launchButton('pkb'));
    expect(calls.onRefused).toHaveBeenCalledWith('pkb', 'faded');
    expect(calls.onLaunch).not.toHaveBeenCalled();
    expect(text('.status')).toBe('barRefused_faded');
  });

  it("a second partner's click while the first is still launching is launched too; the first's error stays on show", async () => {
    let failFirst: (error: Error) => void = () => undefined;
    const onLaunch = vi.fn((partnerId: string) =>
      partnerId === 'parchment' ? new Promise<{ notice?: string }>((_, reject) => (failFirst = reject)) : Promise.resolve({}),
    );
    const { bar, launchButton, text } = setUp({ onLaunch });
    bar.render(JOHN, undefined, { partners: [parchment, ready], minimised: false });
    trustedClick(launchButton('parchment'));
    await vi.waitFor(() => expect(onLaunch).toHaveBeenCalledTimes(1));
    expect(launchButton('parchment').dataset.state).toBe('working');
    trustedClick(launchButton('pkb'));
    await vi.waitFor(() => expect(onLaunch).toHaveBeenCalledTimes(2));
    expect(onLaunch.mock.calls.map((call) => call[0])).toEqual(['parchment', 'pkb']);
    // The same partner again while it is working: said, not started twice.
    trustedClick(launchButton('parchment'));
    expect(text('.status')).toBe('barWorking(Parchment)');
    failFirst(new Error('Parchment did not answer.'));
    await vi.waitFor(() => expect(text('.status')).toBe('Parchment did not answer.'));
    expect(launchButton('parchment').dataset.state).toBe('ready');
    expect(onLaunch).toHaveBeenCalledTimes(2);
  });
});
