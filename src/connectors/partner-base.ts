import { z } from 'zod';
import { STALE_TAB_ACTIONS } from '../shared/partner-tabs';
import { originSchema } from '../shared/url-policy';

/** Fields every partner target has, whatever its protocol. */
export const partnerBaseFields = {
  /** Stable id used in storage, messages and audit: lower-case letters, digits and dashes. */
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be lower-case letters, digits and dashes, starting with a letter or digit'),
  /** The button's text: the partner's name as clinicians know it. */
  label: z.string().trim().min(1).max(40),
  /** When the launch credential is fetched: at the click (default), on hover/focus, or when the patient is detected. */
  prefetch: z.enum(['click', 'hover', 'eager']).default('click'),
  /**
   * `broker`: launch through the organisation's launch broker (configuration `broker`), which holds this
   * partner's secrets and keys; this computer then needs none. Only partners the broker can run on its own
   * (Parchment, PHPKB, Black Pear).
   */
  via: z.literal('broker').optional(),
  /**
   * What happens to a tab opened for one patient once the EHR moves on (another patient, EHR tab closed or
   * left, sign-out): `mark` (the default), `close`, `follow` (relaunch for the new patient; read-only partners
   * only) or `none`.
   */
  staleTab: z.enum(STALE_TAB_ACTIONS).optional(),
  /** The partner's app only shows data (nothing to half fill in), so `staleTab: follow` may relaunch it. */
  readOnly: z.boolean().optional(),
  /**
   * Other origins the partner's app shows in its tabs after the launch (Black Pear's sign-in answers with a
   * redirect to its app, which may be on another host): its tabs stay followed there, and the extension asks
   * for access to them to place the strip.
   */
  tabOrigins: z.array(originSchema).max(10).optional(),
};
