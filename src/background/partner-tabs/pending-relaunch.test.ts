import { describe, expect, it } from 'vitest';
import { PENDING_RELAUNCH_MS, promotePending } from './pending-relaunch';
import type { PartnerTabRecord } from './registry';

const base: PartnerTabRecord = {
  tabId: 10,
  partnerId: 'rx',
  partnerLabel: 'Rx',
  origins: ['https://rx.example'],
  patient: { name: 'John Smith', nhsNumber: '9434765919', fingerprint: 'smith' },
  ehr: { tabId: 1, frameId: 0, origin: 'https://ehr.example' },
  openedAt: 1,
  state: 'marked',
  strip: { partnerLabel: 'Rx', was: { name: 'John Smith', nhsNumber: '9434765919' }, trigger: 'patient-changed', now: { name: 'Jane Doe', nhsNumber: '9434765870', fingerprint: 'doe' } },
  tampered: 2,
};
const pending = { patient: { name: 'Jane Doe', nhsNumber: '9434765870', fingerprint: 'doe' }, ehr: { tabId: 1, frameId: 0, origin: 'https://ehr.example' }, origins: ['https://rx.example', 'https://app.rx.example'], at: 1000 };

describe('promotePending', () => {
  it('nothing pending: nothing to change', () => {
    expect(promotePending(base, 2000)).toBeUndefined();
  });

  it('a recent relaunch becomes the tab’s patient, unmarked', () => {
    expect(promotePending({ ...base, pending }, 2000)).toEqual({ ...base, patient: pending.patient, origins: pending.origins, state: 'current', strip: null, tampered: 0 });
  });

  it('an old one (the page refused to be left, and later reloaded) is dropped: the tab still shows its patient', () => {
    expect(promotePending({ ...base, pending }, 1000 + PENDING_RELAUNCH_MS + 1)).toEqual(base);
  });
});
