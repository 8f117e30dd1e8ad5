import { describe, expect, it, vi } from 'vitest';

vi.mock('../../shared/browser-api', () => ({ browser: {} }));
vi.mock('./handoff-store', () => ({ handoffs: {} }));

const { openInstruction } = await import('./open-instruction');
type OpenDeps = import('./open-instruction').OpenDeps;

const ALLOWED = ['https://partner.example'];
const OPENER = { tabId: 3, tabIndex: 4, windowId: 9 };
const HANDOFF = 'chrome-extension://ikbkgfoadadldhedkemepfmjnahodadh/src/launch/post.html?id=h1';

function fakeBrowser() {
  const calls: { created: unknown[]; updated: [number, unknown][]; handoffs: unknown[][] } = { created: [], updated: [], handoffs: [] };
  const deps: OpenDeps = {
    createTab: async (properties) => (calls.created.push(properties), { id: 42 }),
    updateTab: async (tabId, properties) => (calls.updated.push([tabId, properties]), { id: tabId }),
    handoffUrl: async (...args) => (calls.handoffs.push(args), HANDOFF),
  };
  return { deps, calls };
}

describe('openInstruction refuses any address off the partner\'s allow-list, and opens nothing', () => {
  it.each([
    ['another origin', { open: 'https://elsewhere.example/sso?t=1' }],
    ['a look-alike host', { open: 'https://partner.example.evil.example/sso' }],
    ['another port of the partner', { open: 'https://partner.example:8443/sso' }],
    ['plain http', { open: 'http://partner.example/sso' }],
    ['credentials in the address', { open: 'https://user:pw@partner.example/sso' }],
    ['a script address', { open: 'javascript:alert(1)' }],
    ['a data address', { open: 'data:text/html,<p>hi</p>' }],
    ['a form posted to another origin', { post: 'https://elsewhere.example/launch/v1', fields: { a: 'b' } }],
    ['a form posted over http', { post: 'http://partner.example/launch/v1', fields: { a: 'b' } }],
  ])('%s', async (_name, instruction) => {
    const { deps, calls } = fakeBrowser();
    await expect(openInstruction(instruction, ALLOWED, OPENER, undefined, deps)).rejects.toMatchObject({ code: 'launch-origin-refused' });
    await expect(openInstruction(instruction, ALLOWED, OPENER, { tabId: 8, activate: true }, deps)).rejects.toMatchObject({ code: 'launch-origin-refused' });
    expect(calls).toEqual({ created: [], updated: [], handoffs: [] });
  });
});

describe('openInstruction opens an allowed launch', () => {
  it('in a new tab next to the EHR tab, in its window', async () => {
    const { deps, calls } = fakeBrowser();
    expect(await openInstruction({ open: 'https://partner.example/sso?t=1' }, ALLOWED, OPENER, undefined, deps)).toBe(42);
    expect(calls.created).toEqual([{ url: 'https://partner.example/sso?t=1', active: true, openerTabId: 3, index: 5, windowId: 9 }]);
  });

  it('without a window when the EHR tab\'s is unknown', async () => {
    const { deps, calls } = fakeBrowser();
    await openInstruction({ open: 'https://partner.example/sso' }, ALLOWED, { ...OPENER, windowId: -1 }, undefined, deps);
    expect(calls.created[0]).not.toHaveProperty('windowId');
  });

  it('as a form handed to the launch page, bound to the EHR tab that opens it', async () => {
    const { deps, calls } = fakeBrowser();
    await openInstruction({ post: 'https://partner.example/launch/v1', fields: { a: 'b' } }, ALLOWED, OPENER, undefined, deps);
    expect(calls.handoffs).toEqual([['https://partner.example/launch/v1', { a: 'b' }, { openerTabId: 3 }]]);
    expect(calls.created).toEqual([expect.objectContaining({ url: HANDOFF })]);
  });

  it('into a partner tab, brought forward only when asked, with a form bound to that tab', async () => {
    const { deps, calls } = fakeBrowser();
    expect(await openInstruction({ open: 'https://partner.example/sso' }, ALLOWED, OPENER, { tabId: 8, activate: false }, deps)).toBe(8);
    await openInstruction({ post: 'https://partner.example/launch/v1', fields: {} }, ALLOWED, OPENER, { tabId: 8, activate: true }, deps);
    expect(calls.updated).toEqual([
      [8, { url: 'https://partner.example/sso', active: false }],
      [8, { url: HANDOFF, active: true }],
    ]);
    expect(calls.handoffs[0]![2]).toEqual({ tabId: 8 });
    expect(calls.created).toEqual([]);
  });
});
