import { describe, expect, it } from 'vitest';
import { closeStorageToContentScripts } from './storage-trust';

describe('closeStorageToContentScripts', () => {
  it('sets local and session to trusted contexts, and reports an area the browser refuses as open', async () => {
    const calls: string[] = [];
    const trust = await closeStorageToContentScripts({
      local: { setAccessLevel: async ({ accessLevel }) => void calls.push(`local ${accessLevel}`) },
      session: {
        setAccessLevel: async () => {
          throw new Error('not supported');
        },
      },
    });
    expect(calls).toEqual(['local TRUSTED_CONTEXTS']);
    expect(trust).toEqual({ local: 'trusted-only', session: 'open-to-content-scripts' });
  });
});
