import { describe, expect, it, vi } from 'vitest';
import { createRouter, type HandlerMap } from './router';
import type { RawSender } from './sender';

vi.mock('../../shared/i18n', () => ({ t: (key: string) => key }));

const RUNTIME_ID = 'ikbkgfoadadldhedkemepfmjnahodadh';
const EXT = `chrome-extension://${RUNTIME_ID}`;
const EHR = 'https://ehr.trust.nhs.uk';
const BANNER = 'https://banner.ehr-vendor.example';

function setup() {
  const calls: string[] = [];
  const handler = (name: string) =>
    vi.fn(async () => {
      calls.push(name);
      return { partners: [] } as never;
    });
  const handlers = Object.fromEntries(
    ['context.report', 'launch.request', 'status.get', 'config.get', 'config.import', 'secret.set', 'clinician.get', 'clinician.set', 'handoff.take', 'frame.report', 'frame.profile', 'launch.refused', 'bar.minimise'].map((n) => [n, handler(n)]),
  ) as unknown as HandlerMap;
  const route = createRouter(handlers, {
    runtimeId: RUNTIME_ID,
    extensionOrigin: EXT,
    isEhrOrigin: (o) => o === EHR,
    isBannerFrame: (top, frame) => top === EHR && frame === BANNER,
    isPartnerTab: () => false,
  });
  return { route, calls };
}

const contentSender: RawSender = { id: RUNTIME_ID, url: `${EHR}/patients/1`, tab: { id: 7, index: 0, windowId: 1 }, frameId: 0, documentId: 'doc-1' };
const frameSender: RawSender = { id: RUNTIME_ID, url: `${BANNER}/banner/1`, tab: { id: 7, index: 0, windowId: 1, url: `${EHR}/patients/1` }, frameId: 4, documentId: 'doc-2' };
const frameReport = { type: 'frame.report', payload: { reading: { banners: [{ nhsNumber: ['999 000 0018'], name: ['SMITH, John'] }], checks: [] } } };
const pageSender: RawSender = { id: RUNTIME_ID, url: `${EXT}/src/options/index.html` };
const report = { type: 'context.report', payload: { context: { nhsNumber: '9990000018', name: { family: 'Smith', given: 'John' } } } };

describe('message router', () => {
  it('passes a valid message from the right sender to its handler', async () => {
    const { route, calls } = setup();
    expect(await route(report, contentSender)).toEqual({ ok: true, data: { partners: [] } });
    expect(calls).toEqual(['context.report']);
  });

  it.each([
    ['an unknown name', { type: 'token.get', payload: {} }, 'unknown-message'],
    ['a wrong shape', { type: 'context.report', payload: { context: { nhsNumber: 42 } } }, 'malformed'],
    ['extra keys in the payload', { ...report, payload: { ...report.payload, token: 'x' } }, 'malformed'],
    ['extra keys in the envelope', { ...report, extra: 1 }, 'malformed'],
    ['a huge payload', { type: 'context.report', payload: { problem: 'x'.repeat(70_000), context: null } }, 'too-large'],
    ['a prototype-named type', { type: '__proto__', payload: {} }, 'unknown-message'],
    ['not an object', 'context.report', 'malformed'],
  ])('refuses %s with no side effect', async (_label, message, code) => {
    const { route, calls } = setup();
    const answer = await route(message, contentSender);
    expect(answer).toMatchObject({ ok: false, error: { code } });
    expect(calls).toEqual([]);
  });

  it.each([
    ['another extension', { ...contentSender, id: 'someotherextensionidxxxxxxxxxxxx' }],
    ['a page that is not a configured EHR', { ...contentSender, url: 'https://ehr.trust.nhs.uk.evil.test/x' }],
    ['a sub-frame', { ...contentSender, frameId: 3 }],
    ['a content script with no tab', { ...contentSender, tab: undefined }],
    ['no sender URL', { id: RUNTIME_ID }],
  ])('refuses a content message from %s', async (_label, sender) => {
    const { route, calls } = setup();
    expect(await route(report, sender as RawSender)).toMatchObject({ ok: false, error: { code: 'sender-refused' } });
    expect(calls).toEqual([]);
  });

  it('keeps extension-only messages away from content scripts, and content messages away from pages', async () => {
    const { route, calls } = setup();
    const secret = { type: 'secret.set', payload: { partnerId: 'parchment', name: 'partnerSecret', value: 'x' } };
    expect(await route(secret, contentSender)).toMatchObject({ ok: false, error: { code: 'sender-refused' } });
    expect(await route(report, pageSender)).toMatchObject({ ok: false, error: { code: 'sender-refused' } });
    expect(calls).toEqual([]);
    expect(await route(secret, pageSender)).toMatchObject({ ok: true });
  });

  it('takes banner frame reports only from a frame of a named origin inside a configured EHR page', async () => {
    const { route, calls } = setup();
    expect(await route(frameReport, frameSender)).toMatchObject({ ok: true });
    expect(calls).toEqual(['frame.report']);
    calls.length = 0;
    const refused: RawSender[] = [
      // Another origin's frame in the EHR page.
      { ...frameSender, url: 'https://ads.example/banner/1' },
      // The named origin, framed by a page that is not the EHR.
      { ...frameSender, tab: { ...frameSender.tab, url: 'https://elsewhere.example/x' } },
      // A tab whose address the browser did not give (no access to that page).
      { ...frameSender, tab: { id: 7, index: 0, windowId: 1 } },
      // The EHR's own origin in a sub-frame is not a banner frame reader.
      { ...frameSender, url: `${EHR}/frame` },
      // The named origin as the top frame.
      { ...frameSender, frameId: 0 },
      // A frame whose document is being unloaded (the page navigated away).
      { ...frameSender, documentLifecycle: 'pending_deletion' },
      { ...frameSender, documentLifecycle: 'cached' },
    ];
    for (const sender of refused) expect(await route(frameReport, sender)).toMatchObject({ ok: false, error: { code: 'sender-refused' } });
    // A frame may not speak as the page, nor the page as a frame.
    expect(await route(report, frameSender)).toMatchObject({ ok: false, error: { code: 'sender-refused' } });
    expect(await route(frameReport, contentSender)).toMatchObject({ ok: false, error: { code: 'sender-refused' } });
    // More banners or values than a reading may hold is malformed, not truncated.
    const tooMany = { type: 'frame.report', payload: { reading: { banners: Array(4).fill({}), checks: [] } } };
    expect(await route(tooMany, frameSender)).toMatchObject({ ok: false, error: { code: 'malformed' } });
    expect(calls).toEqual([]);
  });

  it("takes the bar's refused clicks and minimise choice only from the EHR page's content script, as codes, never as text", async () => {
    const { route, calls } = setup();
    const refused = { type: 'launch.refused', payload: { partnerId: 'parchment', refusal: 'faded' } };
    const minimise = { type: 'bar.minimise', payload: { minimised: true } };
    expect(await route(refused, contentSender)).toMatchObject({ ok: true });
    expect(await route(minimise, contentSender)).toMatchObject({ ok: true });
    expect(calls).toEqual(['launch.refused', 'bar.minimise']);
    calls.length = 0;
    for (const sender of [pageSender, frameSender]) {
      expect(await route(refused, sender)).toMatchObject({ ok: false, error: { code: 'sender-refused' } });
      expect(await route(minimise, sender)).toMatchObject({ ok: false, error: { code: 'sender-refused' } });
    }
    // The page cannot choose what the popup says: only the known refusal codes, no message of its own.
    for (const payload of [{ partnerId: 'parchment', refusal: 'other' }, { partnerId: 'parchment', refusal: 'faded', message: 'Call 0800…' }]) {
      expect(await route({ type: 'launch.refused', payload }, contentSender)).toMatchObject({ ok: false, error: { code: 'malformed' } });
    }
    expect(await route({ type: 'bar.minimise', payload: { minimised: 'yes' } }, contentSender)).toMatchObject({ ok: false, error: { code: 'malformed' } });
    expect(calls).toEqual([]);
  });

  it('reports unexpected handler errors without their detail', async () => {
    const handlers = { 'config.get': async () => { throw new Error('secret detail'); } } as unknown as HandlerMap;
    const seen: unknown[] = [];
    const route = createRouter(handlers, { runtimeId: RUNTIME_ID, extensionOrigin: EXT, isEhrOrigin: () => false, isBannerFrame: () => false, isPartnerTab: () => false }, (e) => seen.push(e));
    const answer = await route({ type: 'config.get', payload: {} }, pageSender);
    expect(answer).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(answer)).not.toContain('secret detail');
    expect(seen).toHaveLength(1);
  });
});
