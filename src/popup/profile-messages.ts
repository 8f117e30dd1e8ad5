import type { ClinicianProfile } from '../shared/clinician';
import { t } from '../shared/i18n';
import type { MessageKey } from '../shared/message-key';

export type ProfileField = keyof ClinicianProfile;

/** Every profile field, in the form's order. */
const PROFILE_FIELDS: readonly ProfileField[] = ['displayName', 'username', 'email', 'sdsUserId', 'roleProfileId', 'roleName', 'parchmentUserId'];

/** What to say when a field is left empty (only these three must be filled). */
const ENTER: Partial<Record<ProfileField, MessageKey>> = {
  displayName: 'popupProfileEnterName',
  username: 'popupProfileEnterUsername',
  email: 'popupProfileEnterEmail',
};

/** What to say when a field is filled but not accepted: the rule, in plain words. */
const FIX: Record<ProfileField, MessageKey> = {
  displayName: 'popupProfileFixName',
  username: 'popupProfileFixUsername',
  email: 'popupProfileFixEmail',
  sdsUserId: 'popupProfileFixSdsUserId',
  roleProfileId: 'popupProfileFixRoleProfileId',
  roleName: 'popupProfileFixRoleName',
  parchmentUserId: 'popupProfileFixParchmentUserId',
};

export interface ProfileProblems {
  /** One message per field, shown under it. */
  fields: Partial<Record<ProfileField, string>>;
  /** Anything not about one field (worded by the background), shown under the form. */
  other: string[];
}

/** The required fields left empty, before anything is sent. */
export function missingFields(values: Readonly<Record<string, string>>): ProfileProblems {
  const fields: ProfileProblems['fields'] = {};
  for (const field of PROFILE_FIELDS) {
    const key = ENTER[field];
    if (key && (values[field] ?? '').trim() === '') fields[field] = t(key);
  }
  return { fields, other: [] };
}

/**
 * The background's refusal ("email: Invalid email address") turned into one plain message per field. The
 * schema's own wording never reaches the clinician for a field the form knows; other lines pass through.
 */
export function refusalMessages(values: Readonly<Record<string, string>>, errors: readonly string[]): ProfileProblems {
  const problems: ProfileProblems = { fields: {}, other: [] };
  for (const error of errors) {
    const field = /^([A-Za-z]+):/.exec(error)?.[1] as ProfileField | undefined;
    if (field && PROFILE_FIELDS.includes(field)) {
      const empty = (values[field] ?? '').trim() === '';
      const key = empty ? (ENTER[field] ?? FIX[field]) : FIX[field];
      problems.fields[field] ??= t(key);
    } else if (!problems.other.includes(error)) {
      problems.other.push(error);
    }
  }
  return problems;
}

export function hasProblems(problems: ProfileProblems): boolean {
  return Object.keys(problems.fields).length > 0 || problems.other.length > 0;
}
