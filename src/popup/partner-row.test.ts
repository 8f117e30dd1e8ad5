import { describe, expect, it, vi } from 'vitest';
import type { PartnerButton } from '../shared/protocol';

vi.mock('../shared/runtime', () => ({ uiString: (key: string, subs: string[] = []) => `${key}${subs.length ? `(${subs.join(',')})` : ''}` }));

const { rowPlan } = await import('./partner-row');
const { withoutMenuPointer } = await import('./menu-pointer');

const nhsLogin: PartnerButton = { id: 'nhs-login', label: 'NHS login', state: 'setup-needed', message: 'Sign in to NHS login first.' };
const pkb: PartnerButton = { id: 'pkb', label: 'Patients Know Best', state: 'pairing-needed', message: 'Pair with Patients Know Best first.' };

describe('a partner row in the popup', () => {
  it('offers Sign in in the row of a partner waiting for its own sign-in, and says so beside the button only', () => {
    expect(rowPlan({ partner: nhsLogin, reason: 'partner-sign-in', signIn: { signedIn: false }, hasPatient: true })).toEqual({ text: null, launch: false, signIn: true, pair: null, unpair: false });
  });

  it('offers Pair, or Pair again with Unpair beside it, in the row of an OAuth partner', () => {
    expect(rowPlan({ partner: pkb, reason: 'not-paired', pairing: 'not-paired', hasPatient: true })).toMatchObject({ text: null, pair: 'pair', unpair: false });
    expect(rowPlan({ partner: pkb, reason: 're-pair-needed', pairing: 're-pair-needed', hasPatient: true })).toMatchObject({ text: null, pair: 'pair-again', unpair: true });
  });

  it('offers the launch for a ready partner when the tab shows a patient, and Unpair stays for a paired one', () => {
    const ready: PartnerButton = { ...pkb, state: 'ready' };
    expect(rowPlan({ partner: ready, pairing: 'paired', hasPatient: true })).toEqual({ text: 'popupPartnerReady', launch: true, signIn: false, pair: null, unpair: true });
    expect(rowPlan({ partner: ready, pairing: 'paired', hasPatient: false }).launch).toBe(false);
  });

  it('offers no button when only the IT service desk can help, whatever else is missing', () => {
    const notSetUp: PartnerButton = { ...nhsLogin, message: 'NHS login is not set up on this computer yet: tell your IT service desk.' };
    expect(rowPlan({ partner: notSetUp, reason: 'secret-missing', signIn: { signedIn: false }, hasPatient: true })).toEqual({
      text: 'NHS login is not set up on this computer yet: tell your IT service desk.',
      launch: false,
      signIn: false,
      pair: null,
      unpair: false,
    });
  });

  it('words the steps taken higher up in the popup itself, pointing at them rather than at the menu', () => {
    const parchment: PartnerButton = { id: 'parchment', label: 'Parchment', state: 'setup-needed', message: 'Set up your clinician profile first: open the EHR Launchpad menu in the toolbar.' };
    expect(rowPlan({ partner: parchment, reason: 'clinician-missing', hasPatient: true }).text).toBe('popupRowProfileNeeded');
    expect(rowPlan({ partner: parchment, reason: 'clinician-missing', hasPatient: true, provider: 'NHS Care Identity' }).text).toBe('popupRowSignInOrProfile(NHS Care Identity)');
    expect(rowPlan({ partner: { ...parchment, state: 'sign-in-needed' }, reason: 'identity-needed', hasPatient: true, provider: 'NHS Care Identity' }).text).toBe('popupRowIdentityNeeded(NHS Care Identity)');
  });
});

describe('launch messages shown inside the popup', () => {
  it('lose the pointer to the menu they are shown in, and keep what is wrong', () => {
    expect(withoutMenuPointer('Pair with Patients Know Best first: open the EHR Launchpad menu in the toolbar and choose Pair.')).toBe('Pair with Patients Know Best first.');
    expect(withoutMenuPointer('Sign in to NHS login first: open the EHR Launchpad menu in the toolbar.')).toBe('Sign in to NHS login first.');
    expect(withoutMenuPointer('Your Parchment user id is not set. Add it to your clinician profile in the EHR Launchpad toolbar menu.')).toBe('Your Parchment user id is not set. Add it to your clinician profile.');
    expect(withoutMenuPointer('Your Patients Know Best pairing has ended. Pair again from the EHR Launchpad menu in the toolbar.')).toBe('Your Patients Know Best pairing has ended.');
    expect(withoutMenuPointer('Parchment did not accept this organisation\'s credentials.')).toBe('Parchment did not accept this organisation\'s credentials.');
  });
});
