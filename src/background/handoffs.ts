import browser from 'webextension-polyfill';
import { createHandoffs } from './handoff';

const LAUNCH_PAGE = 'src/launch/post.html';

/** The extension's hand-offs, in chrome.storage.session (memory only, gone when the browser closes). */
export const handoffs = createHandoffs(
  {
    get: async (key) => (await browser.storage.session.get(key))[key],
    set: (key, value) => browser.storage.session.set({ [key]: value }),
    remove: (key) => browser.storage.session.remove(key),
  },
  (id) => browser.runtime.getURL(`${LAUNCH_PAGE}#${id}`),
);
