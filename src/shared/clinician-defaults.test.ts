import { describe, expect, it } from 'vitest';
import { withClinicianDefaults } from './clinician-defaults';

describe("the organisation's clinician profile defaults", () => {
  const defaults = { roleName: 'General Medical Practitioner', roleProfileId: '555000000102' };

  it('fill the fields the clinician left empty, and the clinician wins otherwise', () => {
    expect(withClinicianDefaults({ username: 'dr.jones', roleName: 'Locum GP', roleProfileId: '' }, defaults, false)).toEqual({
      username: 'dr.jones',
      roleName: 'Locum GP',
      roleProfileId: '555000000102',
    });
  });

  it('replace what the clinician typed when policy locks them', () => {
    expect(withClinicianDefaults({ username: 'dr.jones', roleName: 'Locum GP' }, defaults, true)).toEqual({ username: 'dr.jones', ...defaults });
  });

  it('leave anything that is not a profile object for the schema to refuse', () => {
    expect(withClinicianDefaults('x', defaults, true)).toBe('x');
  });
});
