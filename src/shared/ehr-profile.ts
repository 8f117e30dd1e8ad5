import * as z from 'zod/mini';
import { addressProblem } from './address-rules';
import { backtrackingProblem } from './regex-safety';
import { isSecureOrigin } from './secure-url';

/**
 * EHR profiles: how to find the patient on one EHR's pages, written as data so a trust can add its EHR by
 * configuration, without a release. The content script receives its site's profile from the background and
 * only ever reads the page with it (selectors and text), never runs anything from it.
 */

const MAX_SELECTOR = 500;

/** A CSS selector, checked for syntax where a DOM is at hand (options page, content script). */
const selector = z.string().check(z.minLength(1), z.maxLength(MAX_SELECTOR));

/** A regular expression source; the first capture group (or the whole match) is the value. */
const pattern = z.string().check(
  z.minLength(1),
  z.maxLength(300),
  z.superRefine((source, ctx) => {
    const problem = regexProblem(source);
    if (problem) ctx.addIssue({ code: 'custom', input: source, message: problem });
  }),
);

/** Not a regular expression, or one that could backtrack for too long on text the page controls. */
function regexProblem(source: string): string | undefined {
  try {
    new RegExp(source, 'u');
  } catch {
    return 'must be a valid regular expression';
  }
  return backtrackingProblem(source);
}

/**
 * How to read one field. With `selector`, the value is the text (or `attribute`) of the matching elements
 * inside the banner; without it, the value is the one next to a label matching `label` (or the generic labels).
 * `regex` then picks the value out of that text. Several elements with different values mean no patient.
 */
const frameOrigin = z.string().check(
  z.maxLength(200),
  z.superRefine((value, ctx) => {
    // Exactly as the browser writes the frame's origin (it is compared as text), and never a wildcard.
    const problem = addressProblem(value, 'origin') ?? (isSecureOrigin(value) ? undefined : 'must be written as the browser writes an origin: lower case, no default port, no trailing slash');
    if (problem) ctx.addIssue({ code: 'custom', input: value, message: problem });
  }),
);

export const fieldRuleSchema = z.strictObject({
  selector: z.optional(selector),
  attribute: z.optional(z.string().check(z.regex(/^[a-z][a-z0-9-]{0,60}$/i, 'must be an attribute name'))),
  label: z.optional(pattern),
  regex: z.optional(pattern),
});
export type FieldRule = z.infer<typeof fieldRuleSchema>;

export const anchorSchema = z.strictObject({
  /** The element the bar is placed against; if it is not on the page the bar floats in `corner`. */
  selector,
  position: z._default(z.enum(['before', 'after', 'prepend', 'append']), 'after'),
});

/**
 * Per-row launch on a patient list, offered only when a profile asks for it: each element matching `selector`
 * is one patient's row, read on its own with `fields` (strictly, like a banner), and gets its own small set of
 * buttons. Only on pages that show no patient banner: a banner with a list beside it is not a list page.
 */
export const rowsSchema = z.strictObject({
  selector,
  fields: z.strictObject({
    nhsNumber: fieldRuleSchema,
    name: fieldRuleSchema,
    birthDate: z.optional(fieldRuleSchema),
  }),
  /** Where in the row the buttons go (a selector inside the row); without it, at the end of the row's last cell. */
  anchor: z.optional(z.strictObject({ selector, position: z._default(z.enum(['prepend', 'append']), 'append') })),
});

export const ehrProfileSchema = z.strictObject({
  /** Referred to by `ehrSites[].profile`. "generic" is built in. */
  name: z.string().check(z.regex(/^[a-z0-9-]{1,40}$/, 'must be lower-case letters, digits and dashes')),
  /** Path patterns (`*` = any characters) the profile applies to; elsewhere on the site nothing is read. */
  paths: z.optional(z.array(z.string().check(z.regex(/^\/[^\s]*$/, 'must be a path starting with /'), z.maxLength(200))).check(z.maxLength(50))),
  /** Where the patient banner is: a selector, and/or its accessible name (aria-label) or heading text. */
  banner: z.optional(
    z.strictObject({
      selector: z.optional(selector),
      label: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
    }),
  ),
  fields: z.optional(
    z.strictObject({
      nhsNumber: z.optional(fieldRuleSchema),
      birthDate: z.optional(fieldRuleSchema),
      name: z.optional(fieldRuleSchema),
    }),
  ),
  /**
   * Other places on the page that show a field (a summary card's "Born 12-Mar-1985"): every value found there
   * must agree with the banner, or there is no patient. This is how a field left behind by the previous
   * patient is caught.
   */
  crossChecks: z.optional(
    z
      .array(z.strictObject({ field: z.enum(['nhsNumber', 'birthDate', 'name']), selector, attribute: z.optional(z.string().check(z.regex(/^[a-z][a-z0-9-]{0,60}$/i))), regex: z.optional(pattern) }))
      .check(z.maxLength(10)),
  ),
  /**
   * Frames whose documents are read too (selectors of their iframe elements). Same-origin frames are read from
   * the page; a cross-origin frame only when its origin is also in `frameOrigins`. Other frames never.
   */
  frames: z.optional(z.array(selector).check(z.maxLength(10))),
  /**
   * Origins of cross-origin banner frames (an EHR that serves its banner from another host). A reader runs
   * inside such a frame only when it is a direct child of this EHR's page, and its reading counts only while the
   * page has an iframe matching `frames` whose address is on that origin.
   */
  frameOrigins: z.optional(z.array(frameOrigin).check(z.maxLength(5))),
  rows: z.optional(rowsSchema),
  /** Where the launch bar goes; without it the bar floats in a corner. */
  anchor: z.optional(anchorSchema),
  corner: z._default(z.enum(['bottom-right', 'bottom-left', 'top-right', 'top-left']), 'bottom-right'),
});
export type EhrProfile = z.infer<typeof ehrProfileSchema>;

/** Works on common banners with no configuration: labels such as "NHS No", "DOB", "Name" inside a banner. */
export const GENERIC_PROFILE: EhrProfile = { name: 'generic', corner: 'bottom-right' };

/** `*` matches any run of characters; everything else literally. */
function pathMatches(pattern: string, path: string): boolean {
  const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`).test(path);
}

export function profileAppliesTo(profile: EhrProfile, path: string): boolean {
  return !profile.paths || profile.paths.some((pattern) => pathMatches(pattern, path));
}

/** The profile a site names, or the generic one; undefined when the profile does not cover this path. */
export function profileForPage(profiles: readonly EhrProfile[], name: string, path: string): EhrProfile | undefined {
  const profile = name === 'generic' ? GENERIC_PROFILE : profiles.find((p) => p.name === name);
  if (!profile) return undefined;
  return profileAppliesTo(profile, path) ? profile : undefined;
}
