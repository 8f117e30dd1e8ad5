import { describe, expect, it } from 'vitest';
import { isErrorPageFailure, judgePage, judgeSighting, launchOutcome, type Landing } from './landing-judgement';

const OWN = 'chrome-extension://ikbkgfoadadldhedkemepfmjnahodadh';
const pkbRefused = (url: string) => new URL(url).pathname === '/login';
const rules = { ownOrigin: OWN, refused: pkbRefused };

describe('judgeSighting', () => {
  it.each([
    ['a hidden address while loading', undefined, false, 'wait'],
    ['a hidden address once loaded (no host access)', undefined, true, 'hidden'],
    ['the blank page a new tab starts on', 'about:blank', true, 'wait'],
    ['the extension\'s hand-off page', `${OWN}/src/launch/post.html?id=x`, true, 'wait'],
    ['a partner page still loading', 'https://partner.example/app', false, 'wait'],
    ['a partner page loaded', 'https://partner.example/app', true, 'read-page'],
    ['the connector\'s refusal page, even before it has loaded', 'https://partner.example/login', false, 'refused'],
    ['the browser\'s error page by its own address', 'chrome-error://chromewebdata/', true, 'unreachable'],
    ['an address that does not parse', 'not a url', true, 'wait'],
  ] as const)('%s: %s', (_name, url, complete, expected) => {
    expect(judgeSighting(url, complete, rules)).toBe(expected);
  });

  it('without a connector test, a page at a refusal-like address is read like any other', () => {
    expect(judgeSighting('https://partner.example/login', true, { ownOrigin: OWN })).toBe('read-page');
  });
});

describe('judgePage', () => {
  it.each([
    [{ status: 200 }, { kind: 'landed' }],
    [{ status: 302 }, { kind: 'landed' }],
    [{ status: 400 }, { kind: 'error-page', status: 400 }],
    [{ status: 401 }, { kind: 'error-page', status: 401 }],
    [{ status: 503 }, { kind: 'error-page', status: 503 }],
    // The browser did not say (an older engine, a page from cache): not counted as landed.
    [{ status: 0 }, { kind: 'unknown' }],
    [{ errorPage: true }, { kind: 'unreachable' }],
    [{ unreadable: true }, { kind: 'unknown' }],
  ] as const)('%j is %j', (reading, expected) => {
    expect(judgePage(reading)).toEqual(expected);
  });
});

describe('isErrorPageFailure', () => {
  it('knows the browser\'s refusal to script its own error page, and nothing else', () => {
    expect(isErrorPageFailure(new Error('Frame with ID 0 is showing error page'))).toBe(true);
    expect(isErrorPageFailure(new Error('Cannot access contents of the page. Extension manifest must request permission to access the respective host.'))).toBe(false);
    expect(isErrorPageFailure('No tab with id: 4.')).toBe(false);
  });
});

describe('launchOutcome', () => {
  it('is ok only when the page was seen to load', () => {
    expect(launchOutcome('Black Pear', { kind: 'landed' }, false)).toEqual({ outcome: 'ok' });
    expect(launchOutcome('PKB', { kind: 'landed' }, true)).toEqual({ outcome: 'ok', code: 'retried-once' });
  });

  it.each<Landing>([{ kind: 'unknown' }, { kind: 'closed' }, { kind: 'refused' }])('is sent, outcome not visible, for %j', (landing) => {
    expect(launchOutcome('Black Pear', landing, false)).toEqual({ outcome: 'sent', code: 'outcome-not-visible' });
  });

  it('is a failure in words when the partner answered with its error page', () => {
    const outcome = launchOutcome('Black Pear', { kind: 'error-page', status: 401 }, false);
    expect('failure' in outcome && outcome.failure.code).toBe('landing-http-401');
    expect('failure' in outcome && outcome.failure.message).toMatch(/^Black Pear refused the launch: its page answered with an error \(HTTP 401\)/);
  });

  it('is a failure in words when the browser could not reach the partner', () => {
    const outcome = launchOutcome('Parchment', { kind: 'unreachable' }, false);
    expect('failure' in outcome && outcome.failure.code).toBe('partner-unreachable');
    expect('failure' in outcome && outcome.failure.message).toMatch(/^Parchment could not be reached/);
  });
});
