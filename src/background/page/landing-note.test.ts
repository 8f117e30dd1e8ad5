import { describe, expect, it, vi } from 'vitest';

vi.mock('../../shared/i18n', () => ({ t: (key: string, ...subs: string[]) => `${key}(${subs.join(',')})` }));

const { landingNote } = await import('./landing-note');
const { parchmentConfigSchema } = await import('../../connectors/parchment');

const parchment = parchmentConfigSchema.parse({
  kind: 'parchment',
  id: 'parchment',
  label: 'Parchment',
  apiBaseUrl: 'https://api.parchmenthealth.io/external',
  portalOrigin: 'https://portal.parchment.health',
  partnerId: 'p',
  organizationId: 'o',
  patientIds: { '9990000018': 'pt-1' },
});
const patient = (nhsNumber: string) => ({ nhsNumber, name: { family: 'SMITH', given: 'John' } });

describe('landingNote: said before the click', () => {
  it("notes that Parchment opens at the dashboard for a patient it has no id for, in _locales' words", () => {
    expect(landingNote(parchment, patient('9991234578'))).toBe('launchParchmentDashboard(Parchment)');
  });

  it('says nothing for a patient Parchment knows, for no patient, or for a dashboard launch asked for', () => {
    expect(landingNote(parchment, patient('9990000018'))).toBeUndefined();
    expect(landingNote(parchment, null)).toBeUndefined();
    expect(landingNote({ ...parchment, target: 'dashboard' }, patient('9990000018'))).toBeUndefined();
  });
});
