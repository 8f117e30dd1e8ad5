import { browser } from '../../shared/browser-api';
import { contentProtocol, type ContentAnswerOf } from '../../shared/protocol';
import { LaunchError } from '../../shared/launch-error';
import { frameReadings } from '../page/frame-readings';

export interface TabFrame {
  tabId: number;
  frameId: number;
  documentId?: string;
}

/**
 * Asks the content script in exactly this tab, frame and document for a fresh reading of the page. A document
 * that has gone (navigation, reload) cannot answer, and that refuses the launch. When the page's banner is in
 * cross-origin frames, their readers are asked first, and the page judges their fresh readings with its own.
 * For a click on a list row's button, `row` is the fingerprint the button showed, and the row is read again.
 */
export async function readTabContext(frame: TabFrame, row?: string): Promise<ContentAnswerOf<'context.read'>> {
  let raw: unknown;
  try {
    const options: { frameId: number; documentId?: string } = { frameId: frame.frameId };
    if (frame.documentId) options.documentId = frame.documentId;
    // Always sent, even when empty: the page must not fall back on readings of frames that can no longer answer.
    const payload = row === undefined ? { frames: await frameReadings.fresh(frame.tabId) } : { row };
    raw = await browser.tabs.sendMessage(frame.tabId, { type: 'context.read', payload }, options as { frameId: number });
  } catch {
    throw new LaunchError('page-gone', 'The EHR page changed before the launch could start. Check the patient and click again.', ['launchPageGone']);
  }
  const parsed = contentProtocol['context.read'].answer.safeParse(raw);
  if (!parsed.success) throw new LaunchError('page-unreadable', 'EHR Launchpad could not re-read the patient on the page, so nothing was opened.', ['launchPageUnreadable']);
  return parsed.data;
}
