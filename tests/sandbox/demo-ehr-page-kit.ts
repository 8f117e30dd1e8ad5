import { Window } from 'happy-dom';
import { afterEach, expect } from 'vitest';
import { detectPatient } from '../../src/content/detect';
import type { ServerName } from './types';

/**
 * Helpers for the demo EHR layout tests: fetch a page from the running sandbox, and load it in happy-dom,
 * with or without running its inline scripts (iframes are never loaded).
 */

export interface LoadedPage {
  window: Window;
  doc: Document;
  /** Uncaught errors from the page's scripts. */
  errors: string[];
}

/** A fixed "today" so date-of-birth checks do not depend on the clock. */
const TODAY = new Date(2026, 0, 1);

export const elementCount = (html: string) => (html.match(/<[a-zA-Z][^>]*>/g) ?? []).length;

export const detected = (doc: Document) => detectPatient(doc, TODAY);

/** Whitespace-normalised text of the first match. */
export const text = (doc: Document, selector: string) => doc.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim();

/** Valid HTML has each id once. */
export function duplicateIds(html: string): string[] {
  const ids = [...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1] ?? '');
  return ids.filter((id, i) => ids.indexOf(id) !== i);
}

/** Modulus 11, written independently of the list generator it checks. */
export function isValidNhsNumber(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  const digits = [...value].map(Number);
  const remainder = digits.slice(0, 9).reduce((acc, digit, i) => acc + digit * (10 - i), 0) % 11;
  const check = remainder === 0 ? 0 : 11 - remainder;
  return check !== 10 && check === digits[9];
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function ehrPageKit(sandbox: { readonly urls: Record<ServerName, string> }) {
  const open: Window[] = [];
  afterEach(async () => {
    // Closing stops the pages' timers (busy intervals, overlays).
    await Promise.all(open.splice(0).map((w) => w.happyDOM.close()));
  });

  async function page(path: string) {
    const response = await fetch(`${sandbox.urls.ehr}${path}`);
    return { status: response.status, html: await response.text(), type: response.headers.get('content-type') ?? '' };
  }

  function load(html: string, path: string, scripts = false): LoadedPage {
    const window = new Window({
      url: `${sandbox.urls.ehr}${path}`,
      settings: { enableJavaScriptEvaluation: scripts, suppressInsecureJavaScriptEnvironmentWarning: true },
    });
    open.push(window);
    const errors: string[] = [];
    window.addEventListener('error', (event) => errors.push(String((event as unknown as { error?: unknown }).error)));
    window.document.write(html);
    return { window, doc: window.document as unknown as Document, errors };
  }

  /** Fetches a page (expecting 200) and runs it. */
  async function run(path: string): Promise<LoadedPage> {
    const { status, html } = await page(path);
    expect(status, path).toBe(200);
    return load(html, path, true);
  }

  return { page, load, run };
}
