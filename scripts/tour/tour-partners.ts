import { PARCHMENT } from '../../tests/sandbox/fixtures';
import { NHS_LOGIN } from '../../tests/sandbox/nhs-login-fixtures';
import { ORG_IDP } from '../../tests/sandbox/org-idp-fixtures';

/**
 * The tour's partners and how each one's landing page proves the launch went to the right place, signed in as
 * the right clinician. The checks read the page through `Landing`, so the Chromium and Firefox tours share them.
 */

/** A partner's landing page, whichever browser shows it. */
export interface Landing {
  /** The trimmed text of the element with this data-testid, once it appears (throws if it never does). */
  text(testId: string): Promise<string | undefined>;
  /** Resolves once the address matches (throws if it never does). */
  waitForUrl(pattern: RegExp): Promise<void>;
}

/** Partners the broker launches in the --broker tour (the kinds it can run; the others sign in on the desktop). */
export const BROKER_PARTNERS = ['parchment', 'knowledge-base', 'black-pear'];

export function capitalise(family: string): string {
  return family.toLowerCase().replace(/(^|[\s'’-])(\p{L})/gu, (_m, sep: string, letter: string) => sep + letter.toUpperCase());
}

export interface TourPartner {
  /** The partner's id in the sandbox configuration. */
  id: string;
  label: string;
  /** Checks the partner's landing page: 'ok…' or what was wrong. */
  verify(landing: Landing, nhsNumber: string): Promise<string>;
}

export const TOUR_PARTNERS: TourPartner[] = [
  {
    id: 'parchment',
    label: 'Parchment',
    async verify(landing, nhsNumber) {
      const user = (await landing.text('signed-in-user')) ?? '';
      const linked = PARCHMENT.patients.some((p) => p.nhsNumber === nhsNumber && p.organizationId === PARCHMENT.organizationId);
      // A patient Parchment does not know lands on the dashboard (and the bar says so); others on their record.
      const shown = await landing.text(linked ? 'patient-nhs' : 'page-kind');
      const expected = linked ? nhsNumber : 'dashboard';
      if (shown !== expected || !user.includes('Alice Jones')) return `wrong landing (${shown ?? 'nothing'}, ${user})`;
      return linked ? 'ok' : 'ok (dashboard: not linked)';
    },
  },
  {
    id: 'knowledge-base',
    label: 'Knowledge base',
    async verify(landing) {
      const user = await landing.text('signed-in-username');
      // The knowledge base signs in the verified username: the SDS user id under the CIS2 preset.
      return user === ORG_IDP.users[0]!.uid ? 'ok' : `wrong landing (${user ?? 'not signed in'})`;
    },
  },
  {
    id: 'nhs-login',
    label: 'NHS login',
    async verify(landing) {
      const user = await landing.text('rp2-user');
      const prompted = await landing.text('rp2-prompt-shown');
      return user === NHS_LOGIN.users[0]!.id && prompted === 'false' ? 'ok (no prompt)' : `wrong landing (${user ?? 'not signed in'})`;
    },
  },
  {
    id: 'pkb',
    label: 'Patients Know Best',
    async verify(landing, nhsNumber) {
      await landing.waitForUrl(/patientSummary\.action/);
      const shown = await landing.text('pkb-patient-nhs');
      const user = await landing.text('pkb-user');
      return shown === nhsNumber && user === 'Dr Alice Jones' ? 'ok' : `wrong landing (${shown ?? 'nothing'}, ${user ?? 'no user'})`;
    },
  },
  {
    id: 'black-pear',
    label: 'Black Pear',
    async verify(landing, nhsNumber) {
      const shown = await landing.text('patient-nhs');
      const user = await landing.text('user-name');
      return shown === nhsNumber && user === 'Dr Alice Jones' ? 'ok' : `wrong landing (${shown ?? 'nothing'}, ${user ?? 'no user'})`;
    },
  },
];
