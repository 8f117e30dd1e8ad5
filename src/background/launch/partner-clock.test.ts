import { describe, expect, it, vi } from 'vitest';

vi.mock('../../shared/browser-api', () => ({ browser: {} }));

const { partnerClock } = await import('./partner-clock');
type Deps = import('./partner-clock').PartnerClockDeps;

const PROBE = 'https://bp.example/launch/v1';

function deps(answer: () => Promise<Response>, options: { hostAccess?: boolean; stored?: unknown } = {}) {
  const saved = new Map<string, unknown>();
  const calls: string[] = [];
  const d: Deps = {
    fetch: async (input) => {
      calls.push(String(input));
      return answer();
    },
    load: async () => options.stored,
    save: async (key, value) => void saved.set(key, value),
    hasHostAccess: async () => options.hostAccess ?? true,
  };
  return { d, saved, calls };
}

const dated = (offsetMs: number) => async () => new Response(null, { status: 401, headers: { date: new Date(Date.now() + offsetMs).toUTCString() } });
const refusedConnection = async (): Promise<Response> => {
  throw new TypeError('Failed to fetch');
};

describe('partnerClock', () => {
  it('runs on the partner\'s time once measured, and keeps the offset', async () => {
    const { d, saved } = deps(dated(20 * 60_000));
    const now = await partnerClock(PROBE, 'Black Pear', d);
    expect(Math.abs(now() - Date.now() - 20 * 60_000)).toBeLessThan(2000);
    expect(saved.get('clock:https://bp.example')).toMatchObject({ offsetMs: expect.any(Number) });
  });

  it('stops the launch, in words, when the partner cannot be reached', async () => {
    const { d } = deps(refusedConnection);
    await expect(partnerClock(PROBE, 'Black Pear', d)).rejects.toMatchObject({
      code: 'partner-unreachable',
      message: expect.stringMatching(/^Black Pear cannot be reached from this computer, so nothing was opened\./),
    });
  });

  it('stops the launch even with an old offset stored, since a probe was due and failed', async () => {
    const { d } = deps(refusedConnection, { stored: { offsetMs: 5, measuredAt: Date.now() - 11 * 60_000 } });
    await expect(partnerClock(PROBE, 'Black Pear', d)).rejects.toMatchObject({ code: 'partner-unreachable' });
  });

  it('does not probe again within ten minutes of a measurement', async () => {
    const { d, calls } = deps(refusedConnection, { stored: { offsetMs: 1000, measuredAt: Date.now() - 60_000 } });
    const now = await partnerClock(PROBE, 'Black Pear', d);
    expect(calls).toEqual([]);
    expect(Math.abs(now() - Date.now() - 1000)).toBeLessThan(100);
  });

  it('goes on with local time when the failure is only a missing host permission (diagnostics report that)', async () => {
    const { d } = deps(refusedConnection, { hostAccess: false });
    const now = await partnerClock(PROBE, 'Black Pear', d);
    expect(Math.abs(now() - Date.now())).toBeLessThan(100);
  });

  it('goes on with local time when the partner answers without a usable Date, or too slowly', async () => {
    const { d } = deps(async () => new Response(null, { status: 200 }));
    expect(Math.abs((await partnerClock(PROBE, 'Black Pear', d))() - Date.now())).toBeLessThan(100);
    const slow = deps(async () => {
      throw new DOMException('The operation timed out.', 'TimeoutError');
    });
    expect(Math.abs((await partnerClock(PROBE, 'Black Pear', slow.d))() - Date.now())).toBeLessThan(100);
  });
});
