import { describe, expect, it } from 'vitest';
import { launchRow, notReadyRow, type LaunchSeen } from './outcome';

const seen = (over: Partial<LaunchSeen>): LaunchSeen => ({ audit: { outcome: 'ok' }, landing: { url: 'https://portal.example.org/p/1?token=abc', status: 200 }, barStatus: '', ms: 420, waitedMs: 500, ...over });

describe('a launched partner', () => {
  it('ok names only the landing origin, never the launch address, and any note the audit kept', () => {
    expect(launchRow('Parchment', seen({}))).toEqual({ partner: 'Parchment', outcome: 'ok (https://portal.example.org)', ms: 420, failed: false });
    expect(launchRow('Black Pear', seen({ audit: { outcome: 'ok', code: 'form-sent' } })).outcome).toBe('ok (https://portal.example.org; form-sent)');
    expect(JSON.stringify(launchRow('Parchment', seen({})))).not.toContain('token');
  });

  it('a refusal is said in the bar own words, or by its audit code when the bar said nothing', () => {
    const refused = launchRow('Parchment', seen({ audit: { outcome: 'error', code: 'parchment-401' }, landing: null, barStatus: 'Parchment did not accept this organisation\'s credentials.' }));
    expect(refused).toMatchObject({ outcome: "failed: Parchment did not accept this organisation's credentials.", failed: true });
    expect(launchRow('Parchment', seen({ audit: { outcome: 'refused', code: 'no-user' }, landing: null, barStatus: 'Opening Parchment…' })).outcome).toBe('failed: refused (no-user)');
  });

  it('a landing page that failed fails the row', () => {
    expect(launchRow('KB', seen({ landing: { url: 'chrome-error://chromewebdata/' } })).outcome).toBe("failed: the partner's page could not be reached");
    expect(launchRow('KB', seen({ landing: { url: 'https://kb.example.org/sso.php?x=1', status: 403 } })).outcome).toBe('failed: HTTP 403 from https://kb.example.org');
  });

  it('no audit entry, or an ok with no tab, fails', () => {
    expect(launchRow('KB', seen({ audit: null, landing: null, waitedMs: 30_000 })).outcome).toBe('failed: no outcome within 30 s');
    expect(launchRow('KB', seen({ landing: null })).outcome).toBe('failed: the extension recorded a launch but no partner tab opened');
  });
});

describe('a partner the bar does not offer', () => {
  it('is skipped when it waits for the clinician, failed otherwise', () => {
    expect(notReadyRow('PKB', 'pairing-needed', 'Pair from the toolbar menu.')).toEqual({ partner: 'PKB', outcome: 'skipped: Pair from the toolbar menu.', ms: null, failed: false });
    expect(notReadyRow('Parchment', 'setup-needed', 'Secrets missing.')).toMatchObject({ outcome: 'failed: not ready: Secrets missing.', failed: true });
    expect(notReadyRow('X', 'error', undefined).outcome).toBe('failed: not ready: error');
    // A partner with its own sign-in step (NHS login) waits for the clinician too, whatever state it is shown in.
    expect(notReadyRow('NHS login', 'setup-needed', 'Sign in to NHS login first.', true)).toMatchObject({ outcome: 'skipped: Sign in to NHS login first.', failed: false });
  });
});
