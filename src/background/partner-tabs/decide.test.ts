import { describe, expect, it } from 'vitest';
import { staleTabAction, type StaleTabSettings } from '../../shared/partner-tabs';
import { decide, type EhrEvent } from './decide';
import type { PartnerTabRecord } from './registry';

const SMITH = { name: 'John Smith', nhsNumber: '9434765919', fingerprint: '9434765919|1985-03-12|SMITH|John|' };
const DOE = { name: 'Jane Doe', nhsNumber: '9434765870', fingerprint: '9434765870|1990-01-01|DOE|Jane|' };

function tab(tabId: number, partnerId: string, ehrTabId = 1, extra: Partial<PartnerTabRecord> = {}): PartnerTabRecord {
  return {
    tabId,
    partnerId,
    partnerLabel: partnerId.toUpperCase(),
    origins: [`https://${partnerId}.example`],
    patient: SMITH,
    ehr: { tabId: ehrTabId, frameId: 0, origin: 'https://ehr.example' },
    openedAt: tabId,
    state: 'current',
    strip: null,
    tampered: 0,
    ...extra,
  };
}

const settings: Record<string, StaleTabSettings> = {
  rx: {},
  kb: { staleTab: 'follow', readOnly: true },
  viewer: { staleTab: 'close' },
  quiet: { staleTab: 'none' },
  writer: { staleTab: 'follow' },
};
const settingsFor = (id: string) => settings[id];
const doeShown = (ehrTabId = 1, complete = true): EhrEvent => ({ kind: 'patient-shown', ehrTabId, now: DOE, complete });

describe('staleTabAction', () => {
  it('marks by default, and follows only a read-only partner, only to a new patient', () => {
    expect(staleTabAction({}, 'patient-changed')).toBe('mark');
    expect(staleTabAction({ staleTab: 'follow' }, 'patient-changed')).toBe('mark');
    expect(staleTabAction({ staleTab: 'follow', readOnly: true }, 'patient-changed')).toBe('follow');
    expect(staleTabAction({ staleTab: 'follow', readOnly: true }, 'ehr-closed')).toBe('mark');
    expect(staleTabAction({ staleTab: 'follow', readOnly: true }, 'ehr-left')).toBe('mark');
    expect(staleTabAction({ staleTab: 'follow', readOnly: true }, 'signed-out')).toBe('close');
    expect(staleTabAction({ staleTab: 'close' }, 'signed-out')).toBe('close');
    expect(staleTabAction({ staleTab: 'none' }, 'patient-changed')).toBe('none');
  });
});

describe('decide', () => {
  it('acts on each partner tab by its setting when the EHR shows another patient', () => {
    const steps = decide([tab(10, 'rx'), tab(11, 'kb'), tab(12, 'viewer'), tab(13, 'quiet'), tab(14, 'writer')], doeShown(), settingsFor);
    expect(steps.map((d) => [d.record.tabId, d.step.action])).toEqual([
      [10, 'mark'],
      [11, 'follow'],
      [12, 'close'],
      [14, 'mark'],
    ]);
    const mark = steps[0]!.step;
    expect(mark).toEqual({ action: 'mark', trigger: 'patient-changed', strip: { partnerLabel: 'RX', was: { name: SMITH.name, nhsNumber: SMITH.nhsNumber }, trigger: 'patient-changed', now: DOE } });
    expect(steps[1]!.step).toEqual({ action: 'follow', trigger: 'patient-changed', fingerprint: DOE.fingerprint });
  });

  it('leaves alone the tabs of another EHR tab, and tabs for the patient shown', () => {
    expect(decide([tab(10, 'rx', 2)], doeShown(1), settingsFor)).toEqual([]);
    expect(decide([tab(10, 'rx', 1, { patient: DOE })], doeShown(1), settingsFor)).toEqual([]);
  });

  it('takes the strip away when the EHR shows the tab’s own patient again', () => {
    const marked = tab(10, 'rx', 1, { state: 'marked', patient: DOE, strip: { partnerLabel: 'RX', was: DOE, trigger: 'patient-changed', now: SMITH } });
    expect(decide([marked], doeShown(), settingsFor).map((d) => d.step)).toEqual([{ action: 'unmark' }]);
  });

  it('does not mark again for the same situation, but does for a newer one', () => {
    const strip = { partnerLabel: 'RX', was: { name: SMITH.name, nhsNumber: SMITH.nhsNumber }, trigger: 'patient-changed' as const, now: DOE };
    expect(decide([tab(10, 'rx', 1, { state: 'marked', strip })], doeShown(), settingsFor)).toEqual([]);
    expect(decide([tab(10, 'rx', 1, { state: 'kept', strip })], doeShown(), settingsFor)).toEqual([]);
    const closed = decide([tab(10, 'rx', 1, { state: 'kept', strip })], { kind: 'ehr-closed', ehrTabId: 1 }, settingsFor);
    expect(closed.map((d) => d.step.action)).toEqual(['mark']);
  });

  it('a tab the clinician kept is only ever marked again, never closed or relaunched', () => {
    const strip = { partnerLabel: 'X', was: { name: SMITH.name, nhsNumber: SMITH.nhsNumber }, trigger: 'ehr-left' as const, now: null };
    const steps = decide([tab(11, 'kb', 1, { state: 'kept', strip }), tab(12, 'viewer', 1, { state: 'kept', strip })], doeShown(), settingsFor);
    expect(steps.map((d) => d.step.action)).toEqual(['mark', 'mark']);
  });

  it('follows only a patient read in full', () => {
    expect(decide([tab(11, 'kb')], doeShown(1, false), settingsFor).map((d) => d.step.action)).toEqual(['mark']);
  });

  it('an EHR tab closed or left marks or closes, with no patient to open', () => {
    for (const kind of ['ehr-closed', 'ehr-left'] as const) {
      const steps = decide([tab(10, 'rx'), tab(11, 'kb'), tab(12, 'viewer'), tab(13, 'quiet')], { kind, ehrTabId: 1 }, settingsFor);
      expect(steps.map((d) => d.step.action)).toEqual(['mark', 'mark', 'close']);
      expect(steps[0]!.step).toMatchObject({ strip: { trigger: kind, now: null } });
    }
  });

  it('a sign-out reaches the partner tabs of every EHR tab', () => {
    const steps = decide([tab(10, 'rx', 1), tab(11, 'kb', 2), tab(12, 'viewer', 3)], { kind: 'signed-out' }, settingsFor);
    expect(steps.map((d) => [d.record.tabId, d.step.action])).toEqual([
      [10, 'mark'],
      [11, 'close'],
      [12, 'close'],
    ]);
  });

  it('a mark for a sign-out stays when the EHR shows the tab’s patient again, and keeps saying so for another', () => {
    const strip = { partnerLabel: 'RX', was: { name: SMITH.name, nhsNumber: SMITH.nhsNumber }, trigger: 'signed-out' as const, now: null };
    const signedOut = tab(10, 'rx', 1, { state: 'marked', strip });
    // The tab is still signed in to the partner as the clinician who left.
    expect(decide([signedOut], { kind: 'patient-shown', ehrTabId: 1, now: SMITH, complete: true }, settingsFor)).toEqual([]);
    expect(decide([{ ...signedOut, state: 'kept' }], { kind: 'patient-shown', ehrTabId: 1, now: SMITH, complete: true }, settingsFor)).toEqual([]);
    const another = decide([signedOut], doeShown(), settingsFor);
    expect(another.map((d) => d.step)).toEqual([{ action: 'mark', trigger: 'patient-changed', strip: { ...strip, now: DOE } }]);
    // Marked again for that patient, back on the tab's own: still not taken away.
    const again = tab(10, 'rx', 1, { state: 'marked', strip: { ...strip, now: DOE } });
    expect(decide([again], { kind: 'patient-shown', ehrTabId: 1, now: SMITH, complete: true }, settingsFor)).toEqual([]);
    expect(decide([again], doeShown(), settingsFor)).toEqual([]);
    // Never closed or relaunched for the patient change, whatever the partner's setting.
    expect(decide([tab(11, 'kb', 1, { state: 'marked', strip })], doeShown(), settingsFor).map((d) => d.step.action)).toEqual(['mark']);
  });

  it('a partner no longer configured is marked', () => {
    expect(decide([tab(10, 'gone')], doeShown(), settingsFor).map((d) => d.step.action)).toEqual(['mark']);
  });
});
