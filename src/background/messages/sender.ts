/**
 * Who sent a message, as the browser (not the message) says. Content scripts are untrusted: they may only
 * speak for the tab, frame and document the browser attributes to them.
 */

export interface RawSender {
  id?: string;
  url?: string;
  origin?: string;
  tab?: { id?: number; index?: number; windowId?: number; openerTabId?: number; url?: string };
  frameId?: number;
  documentId?: string;
  /** "active", "prerender", "cached" or "pending_deletion", as the browser says (Chrome 106+). */
  documentLifecycle?: string;
}

export type VerifiedSender =
  | { kind: 'extension'; url: string; tabId?: number; openerTabId?: number }
  | { kind: 'content'; url: string; origin: string; tabId: number; tabIndex: number; windowId: number; frameId: number; documentId?: string }
  /** A reader in a cross-origin banner frame of an EHR page, from an origin that page's profile names. */
  | { kind: 'frame'; url: string; origin: string; tabId: number; frameId: number; documentId?: string; topOrigin: string }
  /** The strip's script in the top frame of a partner tab the extension opened, on one of that partner's origins. */
  | { kind: 'partner-tab'; url: string; origin: string; tabId: number };

export interface SenderRules {
  runtimeId: string;
  /** chrome-extension://<id> */
  extensionOrigin: string;
  isEhrOrigin(origin: string): boolean | Promise<boolean>;
  /** Whether the profile of the EHR site at `topOrigin` names `frameOrigin` as a banner frame origin. */
  isBannerFrame(topOrigin: string, frameOrigin: string): boolean | Promise<boolean>;
  /** Whether tab `tabId` is a partner tab the extension opened and `origin` is one of that partner's origins. */
  isPartnerTab(tabId: number, origin: string): boolean | Promise<boolean>;
}

export async function verifySender(sender: RawSender, rules: SenderRules): Promise<VerifiedSender | null> {
  if (sender.id !== rules.runtimeId || typeof sender.url !== 'string') return null;
  let url: URL;
  try {
    url = new URL(sender.url);
  } catch {
    return null;
  }
  // Compared as text: URL.origin of a chrome-extension: URL is "null" outside the browser.
  if (sender.url.startsWith(`${rules.extensionOrigin}/`)) {
    const verified: VerifiedSender = { kind: 'extension', url: sender.url };
    if (typeof sender.tab?.id === 'number') verified.tabId = sender.tab.id;
    if (typeof sender.tab?.openerTabId === 'number') verified.openerTabId = sender.tab.openerTabId;
    return verified;
  }
  const tab = sender.tab;
  if (!tab || typeof tab.id !== 'number' || tab.id < 0 || typeof sender.frameId !== 'number') return null;
  if (sender.frameId !== 0) return verifyFrame(sender, url, tab.id, rules);
  if (!(await rules.isEhrOrigin(url.origin))) {
    return (await rules.isPartnerTab(tab.id, url.origin)) ? { kind: 'partner-tab', url: sender.url, origin: url.origin, tabId: tab.id } : null;
  }
  const verified: VerifiedSender = {
    kind: 'content',
    url: sender.url,
    origin: url.origin,
    tabId: tab.id,
    tabIndex: tab.index ?? 0,
    windowId: tab.windowId ?? -1,
    frameId: sender.frameId,
  };
  if (typeof sender.documentId === 'string') verified.documentId = sender.documentId;
  return verified;
}

/**
 * A sub-frame speaks only as a banner frame: the browser says which page the tab shows (readable because the
 * extension has access to that EHR origin), and that EHR's profile must name the frame's origin.
 */
async function verifyFrame(sender: RawSender, url: URL, tabId: number, rules: SenderRules): Promise<VerifiedSender | null> {
  let topOrigin: string;
  try {
    topOrigin = new URL(sender.tab?.url ?? '').origin;
  } catch {
    return null;
  }
  // A frame whose document is being unloaded (its page navigated away) may not report for the page that follows.
  if (sender.documentLifecycle !== undefined && sender.documentLifecycle !== 'active') return null;
  if (topOrigin === url.origin || !(await rules.isEhrOrigin(topOrigin)) || !(await rules.isBannerFrame(topOrigin, url.origin))) return null;
  const verified: VerifiedSender = { kind: 'frame', url: sender.url ?? '', origin: url.origin, tabId, frameId: sender.frameId!, topOrigin };
  if (typeof sender.documentId === 'string') verified.documentId = sender.documentId;
  return verified;
}
