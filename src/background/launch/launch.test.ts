import { describe, expect, it, vi } from 'vitest';
import type { Connector, LaunchOutput } from '../../connectors/connector';
import type { AuditEntry } from '../../shared/audit';
import type { PartnerConfig } from '../../shared/config';
import { LaunchError } from '../../shared/launch-error';
import { contextFingerprint, type PatientContext } from '../../shared/patient';
import type { Landing } from './landing-judgement';

vi.mock('../../shared/browser-api', () => ({ browser: {} }));
vi.mock('./launch-deps', () => ({ launchDeps: {} }));
vi.mock('./handoff-store', () => ({ handoffs: {} }));

const { launchFromTab, PatientChangedError } = await import('./launch');
const { openInstruction } = await import('./open-instruction');
type LaunchDeps = import('./launch-deps').LaunchDeps;

const john: PatientContext = { nhsNumber: '9990000018', birthDate: '1970-01-02', name: { family: 'Smith', given: 'John' } };
const zoe: PatientContext = { nhsNumber: '9990000026', birthDate: '1985-05-06', name: { family: "O'Brien-Smith", given: 'Zoë' } };
const JOHN = contextFingerprint(john);
const ZOE = contextFingerprint(zoe);
const PARTNER = { id: 'rx', label: 'Parchment', kind: 'parchment' } as unknown as PartnerConfig;
const SENDER = { kind: 'content' as const, url: 'https://ehr.example/p/1', origin: 'https://ehr.example', tabId: 3, tabIndex: 0, windowId: 1, frameId: 0, documentId: 'doc-1' };
const LAUNCH: LaunchOutput = { instruction: { open: 'https://partner.example/sso?t=one' } };

interface Setup {
  reading?: () => Promise<{ context: PatientContext | null; fingerprint: string | null }>;
  reported?: { context: PatientContext | null; frameId: number; documentId?: string } | undefined;
  connector?: Partial<Connector<unknown>>;
  findPartner?: LaunchDeps['findPartner'];
  clinicianFor?: LaunchDeps['clinicianFor'];
  build?: () => Promise<LaunchOutput>;
  prefetched?: LaunchOutput;
  landings?: Landing[];
}

/** Fake collaborators that record what the launch asked of them; the real openInstruction, on a fake browser. */
function fakes(setup: Setup = {}) {
  const audits: AuditEntry[] = [];
  const opened: string[] = [];
  const sentTabs: [number, string][] = [];
  const remembered: { tabId: number; relaunch?: boolean }[] = [];
  const dropped: number[] = [];
  const reads: (string | undefined)[] = [];
  const builds: PatientContext[] = [];
  const bindings: unknown[] = [];
  const landings = [...(setup.landings ?? [{ kind: 'landed' }])];
  const connector = { kind: 'parchment', displayName: 'Parchment', launchOrigins: () => ['https://partner.example'], ...setup.connector } as Connector<unknown>;
  const deps: LaunchDeps = {
    readTabContext: async (_frame, row) => (reads.push(row), (setup.reading ?? (async () => ({ context: john, fingerprint: JOHN })))()),
    reportedContext: async () => setup.reported as never,
    findPartner: setup.findPartner ?? (async () => ({ partner: PARTNER, connector })),
    clinicianFor: setup.clinicianFor ?? (async () => ({ profile: { username: 'dr.jones' }, state: { identity: null } }) as never),
    buildLaunchFor: async (_partner, _connector, _clinician, patient) => (builds.push(patient), (setup.build ?? (async () => LAUNCH))()),
    takePrefetched: async (binding) => (bindings.push(binding), setup.prefetched),
    partnerTabOrigins: () => ['https://partner.example'],
    rememberLaunchedTab: async (input) => void remembered.push({ tabId: input.tabId, ...(input.relaunch ? { relaunch: true } : {}) }),
    dropPendingRelaunch: async (tabId) => void dropped.push(tabId),
    openInstruction: (instruction, allowed, opener, into) =>
      openInstruction(instruction, allowed, opener, into, {
        createTab: async (p) => (opened.push(p.url!), { id: 50 }),
        updateTab: async (tabId, p) => (opened.push(p.url!), { id: tabId }),
        handoffUrl: async () => 'chrome-extension://x/post.html?id=1',
      }),
    watchLanding: async () => landings.shift() ?? { kind: 'unknown' },
    sendTab: async (tabId, url) => void sentTabs.push([tabId, url]),
    recordAudit: async (entry) => void audits.push(entry),
    launchTimeoutMs: 25_000,
    landingTimeoutMs: 15_000,
  };
  return { deps, audits, opened, sentTabs, remembered, dropped, reads, builds, bindings };
}

describe('launchFromTab refuses, opens nothing and audits why', () => {
  const cases: [string, Setup, { code: string; outcome: 'refused' | 'error'; shownNow?: string | null }][] = [
    ['the page can no longer answer', { reading: async () => Promise.reject(new LaunchError('page-gone', 'gone')) }, { code: 'page-gone', outcome: 'refused' }],
    ['the page shows nobody now', { reading: async () => ({ context: null, fingerprint: null }) }, { code: 'patient-changed', outcome: 'refused', shownNow: null }],
    ['the page shows another patient', { reading: async () => ({ context: zoe, fingerprint: ZOE }) }, { code: 'patient-changed', outcome: 'refused', shownNow: ZOE }],
    ['the page claims the button\'s patient but reads another', { reading: async () => ({ context: zoe, fingerprint: JOHN }) }, { code: 'patient-changed', outcome: 'refused', shownNow: ZOE }],
    ['the page reads the patient but names another fingerprint', { reading: async () => ({ context: john, fingerprint: ZOE }) }, { code: 'patient-changed', outcome: 'refused', shownNow: JOHN }],
    ['the partner is no longer configured', { findPartner: async () => Promise.reject(new LaunchError('unknown-partner', 'gone')) }, { code: 'unknown-partner', outcome: 'error' }],
    ['the clinician lacks what the partner needs', { clinicianFor: async () => Promise.reject(new LaunchError('clinician-incomplete', 'add it')) }, { code: 'clinician-incomplete', outcome: 'error' }],
    ['the connector fails', { build: async () => Promise.reject(new LaunchError('parchment-403', 'no')) }, { code: 'parchment-403', outcome: 'error' }],
    ['the connector fails unexpectedly', { build: async () => Promise.reject(new TypeError('boom')) }, { code: 'internal', outcome: 'error' }],
    ['the partner answers with an address off its allow-list', { build: async () => ({ instruction: { open: 'https://elsewhere.example/sso' } }) }, { code: 'launch-origin-refused', outcome: 'error' }],
    ['the partner answers with a form for another origin', { build: async () => ({ instruction: { post: 'https://elsewhere.example/launch', fields: {} } }) }, { code: 'launch-origin-refused', outcome: 'error' }],
  ];

  it.each(cases)('%s', async (_name, setup, expected) => {
    const f = fakes(setup);
    const failure = await launchFromTab('rx', JOHN, SENDER, {}, f.deps).then(
      () => undefined,
      (error: unknown) => error,
    );
    // An unexpected failure goes on as it is (the bar words it); the audit calls it internal.
    expect(failure).toMatchObject(expected.code === 'internal' ? { message: 'boom' } : { code: expected.code });
    if ('shownNow' in expected) expect((failure as InstanceType<typeof PatientChangedError>).shownNow).toBe(expected.shownNow);
    expect(f.opened).toEqual([]);
    expect(f.remembered).toEqual([]);
    expect(f.audits).toEqual([expect.objectContaining({ event: 'launch', partnerId: 'rx', outcome: expected.outcome, code: expected.code })]);
    // Whom the launch was for: the button's patient (the page's, once it was re-read and matched).
    expect(f.audits[0]!.nhsNumber).toBe(john.nhsNumber);
  });

  it('builds nothing for the patient until the re-read matched', async () => {
    const f = fakes({ reading: async () => ({ context: zoe, fingerprint: ZOE }) });
    await expect(launchFromTab('rx', JOHN, SENDER, {}, f.deps)).rejects.toBeInstanceOf(PatientChangedError);
    expect(f.builds).toEqual([]);
  });
});

describe('launchFromTab after opening: what the tab showed decides the outcome', () => {
  it.each<[string, Landing[], { outcome: string; code?: string } | { fails: string }]>([
    ['the partner\'s page loaded', [{ kind: 'landed' }], { outcome: 'ok' }],
    ['where it landed could not be seen', [{ kind: 'unknown' }], { outcome: 'sent', code: 'outcome-not-visible' }],
    ['the tab closed first', [{ kind: 'closed' }], { outcome: 'sent', code: 'outcome-not-visible' }],
    ['the partner answered with its error page', [{ kind: 'error-page', status: 401 }], { fails: 'landing-http-401' }],
    ['the browser could not reach the partner', [{ kind: 'unreachable' }], { fails: 'partner-unreachable' }],
  ])('%s', async (_name, landings, expected) => {
    const f = fakes({ landings });
    const result = launchFromTab('rx', JOHN, SENDER, {}, f.deps);
    if ('fails' in expected) {
      await expect(result).rejects.toMatchObject({ code: expected.fails });
      expect(f.audits).toEqual([expect.objectContaining({ outcome: 'error', code: expected.fails })]);
    } else {
      await expect(result).resolves.toEqual({});
      expect(f.audits).toEqual([expect.objectContaining({ outcome: expected.outcome, ...(expected.code ? { code: expected.code } : {}) })]);
      if (!expected.code) expect(f.audits[0]).not.toHaveProperty('code');
    }
    expect(f.opened).toEqual(['https://partner.example/sso?t=one']);
  });

  it('retries once in the same tab when the connector sees its credential refused, then fails if refused again', async () => {
    const connector = { landingRefused: () => true };
    const once = fakes({ connector, landings: [{ kind: 'refused' }, { kind: 'landed' }] });
    await launchFromTab('rx', JOHN, SENDER, {}, once.deps);
    expect(once.sentTabs).toEqual([[50, 'https://partner.example/sso?t=one']]);
    expect(once.audits).toEqual([expect.objectContaining({ outcome: 'ok', code: 'retried-once' })]);

    const twice = fakes({ connector, landings: [{ kind: 'refused' }, { kind: 'refused' }] });
    await expect(launchFromTab('rx', JOHN, SENDER, {}, twice.deps)).rejects.toMatchObject({ code: 'sign-in-refused' });

    const offList = fakes({ connector, landings: [{ kind: 'refused' }] });
    let calls = 0;
    offList.deps.buildLaunchFor = async () => (calls++ === 0 ? LAUNCH : { instruction: { open: 'https://elsewhere.example/sso' } });
    await expect(launchFromTab('rx', JOHN, SENDER, {}, offList.deps)).rejects.toMatchObject({ code: 'launch-origin-refused' });
    expect(offList.sentTabs).toEqual([]);
  });
});

describe('launchFromTab binds what it uses to the tab, document, patient, partner and clinician', () => {
  it('takes a prefetched launch only for exactly this binding, and then builds nothing', async () => {
    const prefetched: LaunchOutput = { instruction: { open: 'https://partner.example/sso?t=prefetched' } };
    const f = fakes({ prefetched });
    await launchFromTab('rx', JOHN, SENDER, {}, f.deps);
    expect(f.bindings).toEqual([{ tabId: 3, frameId: 0, documentId: 'doc-1', partnerId: 'rx', fingerprint: JOHN, clinician: 'dr.jones' }]);
    expect(f.builds).toEqual([]);
    expect(f.opened).toEqual(['https://partner.example/sso?t=prefetched']);
  });

  const reported = { context: john, frameId: 0, documentId: 'doc-1' };
  it.each([
    ['the tab last reported this patient from this frame and document', reported, true],
    ['the tab last reported another patient', { ...reported, context: zoe }, false],
    ['another frame reported it', { ...reported, frameId: 2 }, false],
    ['another document reported it', { ...reported, documentId: 'doc-0' }, false],
    ['the tab has reported nothing', undefined, false],
  ])('a patient-free request starts before the re-read only when %s', async (_name, last, early) => {
    let release!: () => void;
    const reread = new Promise<void>((resolve) => (release = resolve));
    const f = fakes({ connector: { patientFreeRequest: true }, reported: last, reading: async () => (await reread, { context: john, fingerprint: JOHN }) });
    const launched = launchFromTab('rx', JOHN, SENDER, {}, f.deps);
    await vi.waitFor(() => expect(f.reads).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(f.builds.length).toBe(early ? 1 : 0);
    release();
    await launched;
    expect(f.builds).toEqual([john]);
  });

  it('opens nothing fetched early when the re-read shows another patient', async () => {
    const f = fakes({ connector: { patientFreeRequest: true }, reported, reading: async () => ({ context: zoe, fingerprint: ZOE }) });
    await expect(launchFromTab('rx', JOHN, SENDER, {}, f.deps)).rejects.toMatchObject({ code: 'patient-changed' });
    expect(f.opened).toEqual([]);
  });

  it('from a list row, re-reads that row and starts nothing early', async () => {
    const f = fakes({ connector: { patientFreeRequest: true }, reported });
    await launchFromTab('rx', JOHN, SENDER, { row: true }, f.deps);
    expect(f.reads).toEqual([JOHN]);
    expect(f.builds).toEqual([john]);
  });
});

describe('launchFromTab into a partner tab (a relaunch)', () => {
  it('remembers the tab as pending before sending it, and forgets that if the launch fails before', async () => {
    const ok = fakes();
    await launchFromTab('rx', JOHN, SENDER, { intoTab: 8, activate: false }, ok.deps);
    expect(ok.remembered).toEqual([{ tabId: 8, relaunch: true }]);
    expect(ok.opened).toEqual(['https://partner.example/sso?t=one']);
    expect(ok.dropped).toEqual([]);

    const offList = fakes({ build: async () => ({ instruction: { open: 'https://elsewhere.example/sso' } }) });
    await expect(launchFromTab('rx', JOHN, SENDER, { intoTab: 8 }, offList.deps)).rejects.toMatchObject({ code: 'launch-origin-refused' });
    expect(offList.dropped).toEqual([8]);
  });

  it('does not remember the tab of a partner whose launch carries no patient', async () => {
    const f = fakes({ connector: { patientSpecific: false } });
    await launchFromTab('rx', JOHN, SENDER, {}, f.deps);
    expect(f.remembered).toEqual([]);
  });
});
