import { describe, expect, it } from 'vitest';
import { createHandoffs, HANDOFF_TTL_MS, type KeyValueArea } from './handoff';

function memoryArea(): KeyValueArea & { map: Map<string, unknown> } {
  const map = new Map<string, unknown>();
  return {
    map,
    get: async (k) => map.get(k),
    set: async (k, v) => void map.set(k, v),
    remove: async (k) => void map.delete(k),
  };
}

const PAGE = 'chrome-extension://ikbkgfoadadldhedkemepfmjnahodadh/src/launch/post.html';
const form = { client_assertion: 'a.b.c', patient: 'https://fhir.nhs.uk/Id/nhs-number|9990000018' };

describe('form POST hand-off', () => {
  it('gives the form once to our page in the tab opened from the launching tab', async () => {
    const area = memoryArea();
    const handoffs = createHandoffs(area, (id) => `${PAGE}#${id}`);
    const id = await handoffs.create('https://partner.example/launch/v1', form, { openerTabId: 7 }, 1000);
    expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const taken = await handoffs.take(id, { url: `${PAGE}#${id}`, openerTabId: 7 }, 2000);
    expect(taken).toEqual({ action: 'https://partner.example/launch/v1', fields: form });
    await expect(handoffs.take(id, { url: `${PAGE}#${id}`, openerTabId: 7 }, 2000)).rejects.toMatchObject({ code: 'handoff-missing' });
  });

  it('refuses another tab, another page, or a late taker, and spends the id anyway', async () => {
    const handoffs = createHandoffs(memoryArea(), (id) => `${PAGE}#${id}`);
    const cases = [
      { sender: (id: string) => ({ url: `${PAGE}#${id}`, openerTabId: 8 }), at: 2000, code: 'handoff-refused' },
      { sender: (_id: string) => ({ url: `${PAGE}#other`, openerTabId: 7 }), at: 2000, code: 'handoff-refused' },
      { sender: (id: string) => ({ url: `${PAGE}#${id}` }), at: 2000, code: 'handoff-refused' },
      { sender: (id: string) => ({ url: `${PAGE}#${id}`, openerTabId: 7 }), at: 1000 + HANDOFF_TTL_MS + 1, code: 'handoff-expired' },
    ];
    for (const c of cases) {
      const id = await handoffs.create('https://partner.example/launch/v1', form, { openerTabId: 7 }, 1000);
      await expect(handoffs.take(id, c.sender(id), c.at)).rejects.toMatchObject({ code: c.code });
      await expect(handoffs.take(id, { url: `${PAGE}#${id}`, openerTabId: 7 }, 2000)).rejects.toMatchObject({ code: 'handoff-missing' });
    }
  });

  it('a relaunch into a partner tab binds the form to that tab, not to whichever tab opened it', async () => {
    const handoffs = createHandoffs(memoryArea(), (id) => `${PAGE}#${id}`);
    const id = await handoffs.create('https://partner.example/launch/v1', form, { tabId: 12 }, 1000);
    await expect(handoffs.take(id, { url: `${PAGE}#${id}`, tabId: 13, openerTabId: 12 }, 2000)).rejects.toMatchObject({ code: 'handoff-refused' });
    const again = await handoffs.create('https://partner.example/launch/v1', form, { tabId: 12 }, 1000);
    expect(await handoffs.take(again, { url: `${PAGE}#${again}`, tabId: 12, openerTabId: 3 }, 2000)).toEqual({ action: 'https://partner.example/launch/v1', fields: form });
  });

  it('never puts the form in the page address', async () => {
    const handoffs = createHandoffs(memoryArea(), (id) => `${PAGE}#${id}`);
    const id = await handoffs.create('https://partner.example/launch/v1', form, { openerTabId: 7 });
    expect(handoffs.pageUrl(id)).not.toContain('a.b.c');
  });
});
