import { browser } from '../../shared/browser-api';
import { createHandoffs } from './handoff';
import { browserArea } from '../storage/key-value-area';

const LAUNCH_PAGE = 'src/launch/post.html';

/** The extension's hand-offs, in chrome.storage.session (memory only, gone when the browser closes). */
export const handoffs = createHandoffs(
  browserArea('session'),
  (id) => browser.runtime.getURL(`${LAUNCH_PAGE}#${id}`),
);
