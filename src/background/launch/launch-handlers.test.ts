import { describe, expect, it, vi } from 'vitest';
import type { Config } from '../../shared/config';
import { LaunchError } from '../../shared/launch-error';
import { contextFingerprint, type PatientContext } from '../../shared/patient';

vi.mock('../../shared/browser-api', () => ({ browser: {} }));
// A LaunchError is worded from _locales: here a key reads as `text of <key>`, like deps.message below.
vi.mock('../../shared/i18n', () => ({ t: (key: string) => `text of ${key}` }));
vi.mock('./launch-deps', () => ({ launchDeps: {} }));

const { launchHandlers } = await import('./launch-handlers');
const { PatientChangedError } = await import('./launch');
type Deps = import('./launch-handlers').LaunchHandlerDeps;
type TabContext = import('../page/tab-contexts').TabContext;

const john: PatientContext = { nhsNumber: '9990000018', birthDate: '1970-01-02', name: { family: 'Smith', given: 'John' } };
const zoe: PatientContext = { nhsNumber: '9990000026', name: { family: 'Smith', given: 'Zoe' } };
const JOHN = contextFingerprint(john);
const ZOE = contextFingerprint(zoe);
const SENDER = { kind: 'content' as const, url: 'https://ehr.example/p/1', origin: 'https://ehr.example', tabId: 3, tabIndex: 1, windowId: 2, frameId: 0, documentId: 'doc-1' };
const REPORT: TabContext = { url: SENDER.url, origin: SENDER.origin, frameId: 0, documentId: 'doc-1', context: john, reportedAt: 1 } as TabContext;
const CONFIG = { partners: [{ id: 'pkb', label: 'Patients Know Best', kind: 'pkb', prefetch: 'hover' }] } as unknown as Config;
const CONNECTOR = { kind: 'pkb' } as never;

function fakes(overrides: Partial<Deps> & { report?: TabContext | undefined } = {}) {
  const calls = { launches: [] as unknown[][], refusals: [] as unknown[][], cleared: [] as number[], audits: [] as unknown[], prefetches: [] as unknown[] };
  const { report: _report, ...rest } = overrides;
  // An explicit undefined means the tab has reported nothing.
  const report = 'report' in overrides ? overrides.report : REPORT;
  const deps: Deps = {
    launchFromTab: async (...args) => (calls.launches.push(args), {}),
    config: async () => CONFIG,
    clinicianState: async () => ({ profile: { username: 'dr.jones' } }) as never,
    partnerClinician: () => ({ ok: true, profile: { username: 'dr.jones' } }) as never,
    connectorFor: (kind) => (kind === 'pkb' ? CONNECTOR : undefined),
    barStateFor: async () => ({ partners: [{ id: 'pkb', state: 'ready' }] }) as never,
    reportedContext: async () => report,
    getTab: async () => ({ index: 1, windowId: 2 }),
    recordRefusal: async (...args) => void calls.refusals.push(args),
    clearRefusal: async (tabId) => void calls.cleared.push(tabId),
    recordAudit: async (entry) => void calls.audits.push(entry),
    startPrefetch: (...args) => void calls.prefetches.push(args),
    message: (key) => `text of ${key}`,
    ...rest,
  };
  return { handlers: launchHandlers(deps), calls };
}

describe("'launch.request'", () => {
  it('clears the tab\'s last refusal when the launch works', async () => {
    const { handlers, calls } = fakes();
    await handlers['launch.request']({ partnerId: 'pkb', fingerprint: JOHN }, SENDER);
    expect(calls.launches).toEqual([['pkb', JOHN, SENDER, { row: false }]]);
    expect(calls.cleared).toEqual([3]);
  });

  it.each([
    ['a patient change keeps it for whom the page shows now', new PatientChangedError(ZOE), {}, ZOE, /^text of launchPatientChanged$/],
    ['a patient change to nobody', new PatientChangedError(null), {}, null, /^text of launchPatientChanged$/],
    ['any other refusal keeps it for the button\'s patient', new LaunchError('setup-needed', 'Not set up.', ['launchSetupNeeded', 'PKB']), {}, JOHN, /^text of launchSetupNeeded$/],
    ['an error with no wording yet, in its English', new LaunchError('setup-needed', 'Not set up.'), {}, JOHN, /^Not set up\.$/],
    ['from a list row, for nobody (a list shows no one patient)', new PatientChangedError(ZOE), { row: true as const }, null, /^text of launchPatientChanged$/],
    ['an unexpected failure, in the bar\'s own words', new TypeError('boom'), {}, JOHN, /^text of barFailed$/],
  ])('keeps the refusal for the popup and badge: %s', async (_name, error, extra, shownNow, message) => {
    const { handlers, calls } = fakes({ launchFromTab: async () => Promise.reject(error) });
    await expect(handlers['launch.request']({ partnerId: 'pkb', fingerprint: JOHN, ...extra }, SENDER)).rejects.toBe(error);
    expect(calls.refusals).toEqual([[3, expect.objectContaining({ partnerId: 'pkb', partnerLabel: 'Patients Know Best', fingerprint: shownNow, message: expect.stringMatching(message) })]]);
    expect(calls.cleared).toEqual([]);
  });
});

describe("'launch.refused'", () => {
  it('keeps the bar\'s refusal in the background\'s words and audits it for the patient the tab reported', async () => {
    const { handlers, calls } = fakes();
    await handlers['launch.refused']({ partnerId: 'pkb', refusal: 'covered' }, SENDER);
    expect(calls.refusals).toEqual([[3, expect.objectContaining({ message: 'text of barRefused_covered', fingerprint: JOHN })]]);
    expect(calls.audits).toEqual([expect.objectContaining({ event: 'launch', outcome: 'refused', code: 'bar-covered', nhsNumber: john.nhsNumber, clinician: 'dr.jones' })]);
  });

  it('names no patient when the report came from another document', async () => {
    const { handlers, calls } = fakes({ report: { ...REPORT, documentId: 'doc-0' } });
    await handlers['launch.refused']({ partnerId: 'pkb', refusal: 'faded' }, SENDER);
    expect(calls.refusals[0]![1]).toMatchObject({ fingerprint: null });
    expect(calls.audits[0]).toMatchObject({ nhsNumber: null });
  });
});

describe("'launch.fromPopup'", () => {
  it('refuses a tab that shows no patient, launching nothing', async () => {
    for (const report of [undefined, { ...REPORT, context: null }]) {
      const { handlers, calls } = fakes({ report });
      await expect(handlers['launch.fromPopup']({ tabId: 3, partnerId: 'pkb', fingerprint: JOHN }, { kind: 'extension', url: 'chrome-extension://x/popup.html' } as never)).rejects.toMatchObject({ code: 'no-patient' });
      expect(calls.launches).toEqual([]);
    }
  });

  it('launches for the frame and document that reported the patient', async () => {
    const { handlers, calls } = fakes({ getTab: async () => ({ index: 4 }) });
    await handlers['launch.fromPopup']({ tabId: 3, partnerId: 'pkb', fingerprint: JOHN }, { kind: 'extension', url: 'chrome-extension://x/popup.html' } as never);
    expect(calls.launches).toEqual([['pkb', JOHN, { kind: 'content', url: REPORT.url, origin: REPORT.origin, tabId: 3, tabIndex: 4, windowId: -1, frameId: 0, documentId: 'doc-1' }]]);
  });
});

describe("'launch.prefetch'", () => {
  it('starts a prefetch bound to exactly this tab, frame, document, patient, partner and clinician', async () => {
    const { handlers, calls } = fakes();
    await handlers['launch.prefetch']({ partnerId: 'pkb', fingerprint: JOHN }, SENDER);
    expect(calls.prefetches).toEqual([[{ tabId: 3, frameId: 0, documentId: 'doc-1', partnerId: 'pkb', fingerprint: JOHN, clinician: 'dr.jones' }, CONFIG.partners[0], CONNECTOR, { username: 'dr.jones' }, john]]);
  });

  const notHover = { partners: [{ ...CONFIG.partners[0], prefetch: 'click' }] } as unknown as Config;
  it.each<[string, Partial<Deps> & { report?: TabContext | undefined }, string?]>([
    ['the tab has reported nothing', { report: undefined }],
    ['the tab reported no patient', { report: { ...REPORT, context: null } }],
    ['the tab reported another patient', { report: { ...REPORT, context: zoe } }],
    ['another frame reported the patient', { report: { ...REPORT, frameId: 2 } }],
    ['another document reported the patient', { report: { ...REPORT, documentId: 'doc-0' } }],
    ['the partner is not configured', {}, 'rx'],
    ['the partner\'s kind has no connector', { connectorFor: () => undefined }],
    ['the partner does not prefetch on hover', { config: async () => notHover }],
    ['the partner\'s button is not ready', { barStateFor: async () => ({ partners: [{ id: 'pkb', state: 'needs-pairing' }] }) as never }],
    ['the clinician lacks what the partner needs', { partnerClinician: () => ({ ok: false, problem: { code: 'x', message: 'y' } }) as never }],
  ])('starts nothing when %s', async (_name, overrides, partnerId = 'pkb') => {
    const { handlers, calls } = fakes(overrides);
    expect(await handlers['launch.prefetch']({ partnerId, fingerprint: JOHN }, SENDER)).toEqual({});
    expect(calls.prefetches).toEqual([]);
  });
});
