import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What each command-line input is: an address to open as it is, or a local file to serve. The extension's
 * builds decide where it can run: https pages need the production build, http://127.0.0.1 the sandbox build
 * (the only http origin any build accepts), and local files are served on 127.0.0.1, so sandbox too.
 */

export type Build = 'sandbox' | 'production';

export type Target =
  | { kind: 'url'; input: string; url: string; build: Build }
  | { kind: 'file'; input: string; path: string; folder: string; build: 'sandbox' };

export type Classified = Target | { kind: 'error'; input: string; message: string };

export function classifyInput(input: string, cwd: string): Classified {
  if (/^[a-z][a-z0-9+.-]*:/i.test(input) && !/^[a-z]:[\\/]/i.test(input)) {
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      return { kind: 'error', input, message: `${input}: not a valid address` };
    }
    if (url.protocol === 'file:') return fileTarget(input, fileURLToPath(url));
    if (url.username || url.password) return { kind: 'error', input, message: `${input}: addresses with a user name or password are not opened` };
    if (url.protocol === 'https:') return { kind: 'url', input, url: url.href, build: 'production' };
    if (url.protocol === 'http:' && url.hostname === '127.0.0.1') return { kind: 'url', input, url: url.href, build: 'sandbox' };
    return { kind: 'error', input, message: `${input}: EHR sites are https:// (or http://127.0.0.1 for local testing)` };
  }
  return fileTarget(input, resolve(cwd, input));
}

function fileTarget(input: string, path: string): Target {
  return { kind: 'file', input, path, folder: dirname(path), build: 'sandbox' };
}

/** The page's address on its folder's server, e.g. http://127.0.0.1:41234/banner%20one.html. */
export function servedUrl(serverOrigin: string, fileName: string): string {
  return `${serverOrigin}/${encodeURIComponent(fileName)}`;
}
