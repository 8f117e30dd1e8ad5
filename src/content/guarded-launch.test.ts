import { describe, expect, it, vi } from 'vitest';
import { CALM_REFUSALS, CLICK_REFUSALS, CLICK_REFUSAL_MESSAGES, type ClickRefusal, type LaunchResult } from '../shared/protocol';
import type { ClickGuard } from './click-guard';
import { guardedLaunch, type LaunchClick } from './guarded-launch';

vi.mock('../shared/runtime', () => ({ uiString: (key: string, subs: string[] = []) => `${key}${subs.length ? `(${subs.join(',')})` : ''}` }));

function harness(options: { refusal?: ClickRefusal | null; verdict?: boolean | undefined; launch?: () => Promise<LaunchResult>; instead?: () => boolean } = {}) {
  const said: [string, string][] = [];
  const refused: ClickRefusal[] = [];
  const busy: boolean[] = [];
  const launches: string[] = [];
  let seq = 0;
  let current = 0;
  const guard: ClickGuard = {
    refusal: () => options.refusal ?? null,
    visibility: { start() {}, stop() {}, verdict: async () => ('verdict' in options ? options.verdict : true) },
    dispose() {},
  };
  const working = new Set<string>();
  const click = (event: Partial<MouseEvent>): LaunchClick => ({
    event: { isTrusted: true, detail: 1, ...event } as MouseEvent,
    button: {} as HTMLElement,
    parts: [],
    partnerId: 'parchment',
    partnerLabel: 'Parchment',
    guard,
    working,
    say: (kind, text) => {
      said.push([kind, text]);
      return (current = ++seq);
    },
    clear: (token) => {
      if (current === token) said.push(['none', '']);
    },
    onRefused: (refusal) => refused.push(refusal),
    ...(options.instead ? { instead: options.instead } : {}),
    busy: (on) => busy.push(on),
    launch: () => {
      launches.push('parchment');
      return options.launch ? options.launch() : Promise.resolve({});
    },
  });
  return { said, refused, busy, launches, working, click };
}

describe('guardedLaunch: the one click path of the bar and the list rows', () => {
  it('launches on a trusted click, says it is opening, then clears its own status and frees the button', async () => {
    const h = harness();
    await guardedLaunch(h.click({}));
    expect(h.launches).toEqual(['parchment']);
    expect(h.said).toEqual([
      ['notice', 'barWorking(Parchment)'],
      ['none', ''],
    ]);
    expect(h.busy).toEqual([true, false]);
    expect(h.working.size).toBe(0);
  });

  it('ignores a click page script made', () => {
    const h = harness();
    expect(guardedLaunch(h.click({ isTrusted: false }))).toBeUndefined();
    expect([h.launches, h.said, h.refused]).toEqual([[], [], []]);
  });

  it.each(CLICK_REFUSALS.map((refusal) => [refusal]))('refuses a click the checks refuse (%s), says why and reports it', (refusal) => {
    const h = harness({ refusal });
    expect(guardedLaunch(h.click({}))).toBeUndefined();
    expect(h.launches).toEqual([]);
    expect(h.said).toEqual([[CALM_REFUSALS.has(refusal) ? 'notice' : 'error', CLICK_REFUSAL_MESSAGES[refusal]]]);
    expect(h.refused).toEqual([refusal]);
    expect(h.busy).toEqual([]);
  });

  it('the second click of a double-click whose first is launching adds nothing', async () => {
    const h = harness({ launch: () => new Promise(() => undefined) });
    void guardedLaunch(h.click({}));
    expect(guardedLaunch(h.click({ detail: 2 }))).toBeUndefined();
    await vi.waitFor(() => expect(h.launches).toEqual(['parchment']));
    expect(h.refused).toEqual([]);
    expect(h.said).toEqual([['notice', 'barWorking(Parchment)']]);
  });

  it('a second single click while the launch is under way says so and starts nothing', async () => {
    let finish: (value: LaunchResult) => void = () => undefined;
    const h = harness({ launch: () => new Promise((done) => (finish = done)) });
    const first = guardedLaunch(h.click({}));
    await vi.waitFor(() => expect(h.launches).toHaveLength(1));
    expect(guardedLaunch(h.click({}))).toBeUndefined();
    expect(h.said.at(-1)).toEqual(['notice', 'barWorking(Parchment)']);
    finish({});
    await first;
    expect(h.launches).toHaveLength(1);
  });

  it('the caller may handle the click instead (a sign-in button, a partner not ready), after the checks', () => {
    const h = harness({ instead: () => true });
    expect(guardedLaunch(h.click({}))).toBeUndefined();
    expect(h.launches).toEqual([]);
    const refused = harness({ refusal: 'covered', instead: () => true });
    expect(guardedLaunch(refused.click({}))).toBeUndefined();
    expect(refused.refused).toEqual(['covered']);
  });

  it('refuses when the browser says the button was covered, and reports it', async () => {
    const h = harness({ verdict: false });
    await guardedLaunch(h.click({}));
    expect(h.launches).toEqual([]);
    expect(h.refused).toEqual(['covered']);
    expect(h.said.at(-1)).toEqual(['error', CLICK_REFUSAL_MESSAGES.covered]);
    expect(h.busy).toEqual([true, false]);
  });

  it('launches when the browser gives no verdict (no Intersection Observer v2)', async () => {
    const h = harness({ verdict: undefined });
    await guardedLaunch(h.click({}));
    expect(h.launches).toEqual(['parchment']);
  });

  it('shows the launch’s notice, or its error in the background’s words, and frees the button either way', async () => {
    const noticed = harness({ launch: async () => ({ notice: 'Opened the dashboard, not the patient.' }) });
    await guardedLaunch(noticed.click({}));
    expect(noticed.said.at(-1)).toEqual(['notice', 'Opened the dashboard, not the patient.']);
    const failed = harness({ launch: async () => Promise.reject(new Error('The patient on the page is not the one this button was drawn for.')) });
    await guardedLaunch(failed.click({}));
    expect(failed.said.at(-1)).toEqual(['error', 'The patient on the page is not the one this button was drawn for.']);
    expect(failed.working.size).toBe(0);
    expect(failed.busy).toEqual([true, false]);
  });

  it('a keyboard activation (detail 0) goes through the same checks', async () => {
    const h = harness({ refusal: 'covered' });
    expect(guardedLaunch(h.click({ detail: 0 }))).toBeUndefined();
    expect(h.refused).toEqual(['covered']);
  });
});
