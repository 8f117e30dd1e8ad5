import { browser } from '../../shared/browser-api';

export interface EhrTab {
  id: number;
  title: string;
  url: string;
  origin: string;
}

/**
 * The open tabs that show a page of one of the configured EHR sites. The browser tells an extension page a
 * tab's address only where the extension has host access, which is exactly those sites.
 */
export async function openEhrTabs(origins: readonly string[]): Promise<EhrTab[]> {
  const tabs = await browser.tabs.query({});
  const found: EhrTab[] = [];
  for (const tab of tabs) {
    if (tab.id === undefined || tab.id < 0 || !tab.url) continue;
    let origin: string;
    try {
      origin = new URL(tab.url).origin;
    } catch {
      continue;
    }
    if (origins.includes(origin)) found.push({ id: tab.id, title: tab.title || tab.url, url: tab.url, origin });
  }
  return found;
}

/** The tab the popup sent the administrator from (`?teach=<tab id>`), if any. */
export function tabFromAddress(search: string): number | null {
  const raw = new URLSearchParams(search).get('teach');
  return raw && /^\d{1,10}$/.test(raw) ? Number(raw) : null;
}
