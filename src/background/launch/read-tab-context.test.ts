import { beforeEach, describe, expect, it, vi } from 'vitest';

const session = new Map<string, unknown>();
const sent: Array<{ message: { type: string; payload: unknown }; options: { frameId: number } }> = [];
let frameAnswers = true;

vi.mock('../../shared/browser-api', () => ({
  browser: {
    storage: {
      session: {
        get: async (key: string) => (session.has(key) ? { [key]: session.get(key) } : {}),
        set: async (items: Record<string, unknown>) => Object.entries(items).forEach(([k, v]) => session.set(k, v)),
        remove: async (key: string) => session.delete(key),
      },
    },
    tabs: {
      sendMessage: async (_tabId: number, message: { type: string; payload: unknown }, options: { frameId: number }) => {
        sent.push({ message, options });
        if (message.type === 'frame.read') {
          if (!frameAnswers) throw new Error('Could not establish connection. Receiving end does not exist.');
          return { reading: { banners: [{ nhsNumber: ['999 000 0018'], name: ['SMITH, John'] }], checks: [] } };
        }
        return { context: null, fingerprint: null };
      },
    },
  },
}));

const { frameReadings } = await import('../page/frame-readings');
const { readTabContext } = await import('./read-tab-context');

const reading = { banners: [{ nhsNumber: ['999 123 4578'], name: ["O'BRIEN-SMITH, Zoë"] }], checks: [] };
const topFrame = { tabId: 7, frameId: 0, documentId: 'top-doc' };

describe('the click-time re-read with banner frames', () => {
  beforeEach(async () => {
    session.clear();
    sent.length = 0;
    await frameReadings.report({ tabId: 7, frameId: 4, documentId: 'frame-doc', origin: 'https://banner.example' }, reading);
  });

  it('asks the frame first and gives the page its fresh reading', async () => {
    frameAnswers = true;
    await readTabContext(topFrame);
    expect(sent.map((s) => [s.message.type, s.options.frameId])).toEqual([
      ['frame.read', 4],
      ['context.read', 0],
    ]);
    expect(sent[1]!.message.payload).toEqual({
      frames: { frames: [{ frameId: 4, origin: 'https://banner.example', reading: { banners: [{ nhsNumber: ['999 000 0018'], name: ['SMITH, John'] }], checks: [] } }] },
    });
  });

  it('a frame that can no longer answer is dropped, and the page is told so (an empty list, never its old reading)', async () => {
    frameAnswers = false;
    await readTabContext(topFrame);
    expect(sent[1]!.message).toEqual({ type: 'context.read', payload: { frames: { frames: [] } } });
    expect(await frameReadings.fresh(7)).toEqual({ frames: [] });
  });

  it('a row re-read asks only the page, for that row', async () => {
    await readTabContext(topFrame, '9990000018|1985-03-12|Smith|John|Mr');
    expect(sent.map((s) => s.message)).toEqual([{ type: 'context.read', payload: { row: '9990000018|1985-03-12|Smith|John|Mr' } }]);
  });
});
