import * as z from 'zod/mini';
import { STAGED_CONFIG_KEY } from './config-transfer';
import { documentReadingSchema, frameReadingsSchema } from './frame-reading';
import type { MessageKey } from './message-key';
import { patientContextSchema } from './patient';
import { partnerTabSummarySchema, stripContentSchema } from './partner-tabs';
import { picksSchema } from './profile-builder/picks';

/**
 * Every message in the extension, in one place. A message is `{ type, payload }`; the answer is
 * `{ ok: true, data }` or `{ ok: false, error: { code, message } }`. Payloads are validated where they are
 * received (the router in the background, the content script for what the background asks it).
 *
 * `from` says which context may send it: `content` (a content script in an EHR tab's top frame: untrusted
 * input), `frame` (a reader in a cross-origin banner frame that the EHR site's profile names: untrusted input)
 * `partner-tab` (the strip's script in the top frame of a partner tab the extension opened, on one of that
 * partner's origins: untrusted input) or `extension` (our own popup, options and launch pages).
 */

const id = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[a-z0-9][a-z0-9-]*$/));
const fingerprint = z.string().check(z.minLength(1), z.maxLength(400));

export const partnerButtonSchema = z.strictObject({
  id,
  label: z.string().check(z.maxLength(80)),
  /** `sign-in-needed`: the organisation requires a verified identity; a click opens the sign-in. */
  state: z.enum(['ready', 'setup-needed', 'pairing-needed', 'sign-in-needed', 'working', 'error']),
  message: z.optional(z.string().check(z.maxLength(300))),
  /** Something worth knowing about this patient at this partner (PKB: data from other organisations). */
  hint: z.optional(z.string().check(z.maxLength(300))),
  /** Ask the background to fetch the launch credential when the pointer or focus reaches the button. */
  prefetchOnHover: z.optional(z.boolean()),
});
export type PartnerButton = z.infer<typeof partnerButtonSchema>;

export const barStateSchema = z.strictObject({
  partners: z.array(partnerButtonSchema),
  /** The clinician minimised the bar on this EHR site (remembered by the background, per origin). */
  minimised: z.optional(z.boolean()),
});
export type BarState = z.infer<typeof barStateSchema>;

export const launchResultSchema = z.strictObject({
  notice: z.optional(z.string().check(z.maxLength(300))),
});
export type LaunchResult = z.infer<typeof launchResultSchema>;

const anything = z.unknown();

/** Why the bar or a row's buttons refused a click themselves (see src/content/click-guard.ts). */
export const CLICK_REFUSALS = ['covered', 'faded', 'top-layer', 'distorted', 'partly-hidden', 'unsettled', 'double-click', 'pointer'] as const;
export type ClickRefusal = (typeof CLICK_REFUSALS)[number];

/** Each refusal's message in _locales, written out so every key can be found (and checked) as it is. */
export const CLICK_REFUSAL_MESSAGES: Readonly<Record<ClickRefusal, MessageKey>> = {
  covered: 'barRefused_covered',
  faded: 'barRefused_faded',
  'top-layer': 'barRefused_top_layer',
  distorted: 'barRefused_distorted',
  'partly-hidden': 'barRefused_partly_hidden',
  unsettled: 'barRefused_unsettled',
  'double-click': 'barRefused_double_click',
  pointer: 'barRefused_pointer',
};

/** Refusals that ask only for a calmer second try, not a fix of the page: said as a notice, not an error. */
export const CALM_REFUSALS: ReadonlySet<ClickRefusal> = new Set(['unsettled', 'double-click']);
const tabId = z.number().check(z.int(), z.nonnegative());
const empty = z.strictObject({});

export const backgroundProtocol = {
  /** The content script's current reading of its frame: a patient, or why there is none. */
  'context.report': {
    from: 'content',
    payload: z.strictObject({
      context: z.nullable(patientContextSchema),
      problem: z.optional(z.string().check(z.maxLength(200))),
      /** Why there is no patient, in words for the clinician and IT ("NHS number fails the check digit"). */
      reason: z.optional(z.string().check(z.maxLength(300))),
    }),
    answer: barStateSchema,
  },
  /** The detection profile of the sender's EHR site (configuration, not a secret); null when there is none. */
  'profile.get': { from: 'content', payload: empty, answer: anything },
  /** A trusted click on a launch button. The background re-reads the tab before doing anything. */
  'launch.request': {
    from: 'content',
    /** `row`: the click was on a list row's button (profiles with `rows`); the re-read is of that row. */
    payload: z.strictObject({ partnerId: id, fingerprint, row: z.optional(z.literal(true)) }),
    answer: launchResultSchema,
  },
  /**
   * A click the bar itself refused (covered, faded, under a pop-up, restyled, moved, double): the background keeps it for the tab's
   * popup and badge, in its own words (the page cannot choose the text).
   */
  'launch.refused': {
    from: 'content',
    payload: z.strictObject({ partnerId: id, refusal: z.enum(CLICK_REFUSALS) }),
    answer: empty,
  },
  /** The clinician minimised or restored the bar; remembered for the sender's EHR origin. */
  'bar.minimise': { from: 'content', payload: z.strictObject({ minimised: z.boolean() }), answer: empty },
  /** A trusted click on a "Sign in to launch" button: the background opens the organisation's sign-in. */
  'identity.signInFromBar': { from: 'content', payload: empty, answer: empty },
  /**
   * A trusted click on the bar's "Open EHR Launchpad": the background opens the toolbar popup, which Chrome may
   * hide under its extensions menu; `opened: false` (a browser without it) answers the shortcut to name instead.
   */
  'bar.openMenu': { from: 'content', payload: empty, answer: z.strictObject({ opened: z.boolean(), shortcut: z.optional(z.string().check(z.maxLength(40))) }) },
  /**
   * The pointer or keyboard focus reached a ready button. Partners that prefetch on hover fetch now; for every
   * partner the worker is awake, its caches read, before the click (it is stopped after 30 s idle).
   */
  'launch.prefetch': {
    from: 'content',
    payload: z.strictObject({ partnerId: id, fingerprint }),
    answer: empty,
  },
  /** The strip's script in a partner tab asks what to show: null when the tab is not marked (then it shows nothing). */
  'strip.get': { from: 'partner-tab', payload: empty, answer: z.nullable(stripContentSchema) },
  /**
   * A trusted click on the strip: launch the EHR's current patient into this tab (`fingerprint`: the patient the
   * strip named, checked against a fresh reading of the EHR tab), close the tab, or keep it as it is.
   */
  'strip.act': {
    from: 'partner-tab',
    payload: z.strictObject({ action: z.enum(['open-here', 'close', 'keep']), fingerprint: z.optional(fingerprint) }),
    answer: empty,
  },
  /** The partner page removed or hid the strip, or took the warning off the tab's title: the script put it back. */
  'strip.tampered': { from: 'partner-tab', payload: z.strictObject({ what: z.enum(['removed', 'hidden', 'title']) }), answer: empty },
  /** The partner tabs opened from an EHR tab, with whom each was opened for and its state. */
  'partnerTabs.list': { from: 'extension', payload: z.strictObject({ tabId }), answer: z.array(partnerTabSummarySchema) },
  /** Bring one of those partner tabs to the front. */
  'partnerTabs.focus': { from: 'extension', payload: z.strictObject({ tabId }), answer: empty },
  /** Close one of those partner tabs. */
  'partnerTabs.close': { from: 'extension', payload: z.strictObject({ tabId }), answer: empty },
  /** A banner frame's reader asks for its EHR site's profile (null when the frame is not one the profile names). */
  'frame.profile': { from: 'frame', payload: empty, answer: anything },
  /** A banner frame's current reading, relayed to the top frame; null when the frame's document goes away. */
  'frame.report': { from: 'frame', payload: z.strictObject({ reading: z.nullable(documentReadingSchema) }), answer: empty },
  'status.get': {
    from: 'extension',
    payload: z.strictObject({ tabId: z.optional(z.number().check(z.int(), z.nonnegative())) }),
    answer: anything,
  },
  'config.get': { from: 'extension', payload: empty, answer: anything },
  /**
   * A whole configuration document, validated by the background against the configuration schema: in the
   * message, or (any size) staged in storage.session under `staged` (see config-transfer.ts).
   */
  'config.import': {
    from: 'extension',
    payload: z.union([z.strictObject({ config: anything }), z.strictObject({ staged: z.string().check(z.regex(STAGED_CONFIG_KEY)) })]),
    answer: anything,
  },
  /** Write-only: a secret goes into the vault and is never read back by any page. */
  'secret.set': {
    from: 'extension',
    payload: z.strictObject({
      partnerId: id,
      name: z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z][A-Za-z0-9]*$/)),
      value: z.string().check(z.minLength(1), z.maxLength(4096)),
    }),
    answer: anything,
  },
  'clinician.get': { from: 'extension', payload: empty, answer: anything },
  'clinician.set': { from: 'extension', payload: z.strictObject({ profile: anything }), answer: anything },
  /** The installation's public signing keys (JWKS) for enrolment with partners, and their state. */
  'keys.get': { from: 'extension', payload: empty, answer: anything },
  'keys.rotate': { from: 'extension', payload: z.strictObject({ alg: z.enum(['ES256', 'RS256']) }), answer: anything },
  'keys.remove': { from: 'extension', payload: z.strictObject({ kid: z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/)) }), answer: anything },
  /** Sign in to a partner that has a sign-in step (NHS login), in the browser's own auth window. */
  'partner.signIn': { from: 'extension', payload: z.strictObject({ partnerId: id }), answer: anything },
  /** Pair with an OAuth partner (PKB) in the browser's own auth window, or end the pairing. */
  'partner.pair': { from: 'extension', payload: z.strictObject({ partnerId: id }), answer: anything },
  'partner.unpair': { from: 'extension', payload: z.strictObject({ partnerId: id }), answer: anything },
  /**
   * The organisation's sign-in (CIS2 or a workforce provider) in the browser's own auth window; `switchRole`
   * shows the provider's pages again so a clinician with several roles can choose another. The answer is the
   * verified identity (never a token).
   */
  'identity.signIn': { from: 'extension', payload: z.strictObject({ switchRole: z.optional(z.boolean()) }), answer: anything },
  /** The clinician leaves this workstation: end partner sessions that can be ended, forget the profile. */
  'session.signOut': { from: 'extension', payload: empty, answer: anything },
  /**
   * A click on a launch button in the toolbar popup, for the patient the popup showed for that tab. The
   * background re-reads the tab exactly as for a click in the bar, and refuses on any difference.
   */
  'launch.fromPopup': {
    from: 'extension',
    payload: z.strictObject({ tabId: z.number().check(z.int(), z.nonnegative()), partnerId: id, fingerprint }),
    answer: launchResultSchema,
  },
  /** What needs attention (the badge's reasons): policy or configuration problems, pairings to renew. */
  'health.get': { from: 'extension', payload: empty, answer: anything },
  /** What is left to set up on this computer (src/shared/setup-checklist.ts), for the options page's checklist. */
  'setup.get': { from: 'extension', payload: empty, answer: anything },
  /** The administrator sent (or takes back having sent) the values one partner must enrol. */
  'setup.acknowledge': { from: 'extension', payload: z.strictObject({ acknowledgement: z.string().check(z.minLength(1), z.maxLength(2000)), sent: z.boolean() }), answer: anything },
  /** Versions, policy status and problems, missing host access, the last errors from the audit trail. */
  'diagnostics.get': { from: 'extension', payload: empty, answer: anything },
  /** The audit trail, newest first, with the count of dropped entries and the forwarding queue's state. */
  'audit.list': { from: 'extension', payload: empty, answer: anything },
  /**
   * Profile builder: the options page asks to teach this EHR tab (its top frame enters picking mode), asks how
   * far the picking got, and asks the tab to read itself with a draft profile. Only from extension pages.
   */
  'picker.start': { from: 'extension', payload: z.strictObject({ tabId }), answer: empty },
  'picker.status': { from: 'extension', payload: z.strictObject({ tabId }), answer: anything },
  'picker.read': { from: 'extension', payload: z.strictObject({ tabId, profile: anything }), answer: anything },
  /**
   * The picker's result from the tab being taught: the four picks, or cancelled (Esc). Accepted only from the
   * tab, top frame and document the picking was started in.
   */
  'picker.result': {
    from: 'content',
    payload: z.strictObject({ outcome: z.enum(['picked', 'cancelled']), picks: z.optional(picksSchema) }),
    answer: empty,
  },
  /** The launch page collects the form it must POST, once, by the id in its own address. */
  'handoff.take': {
    from: 'extension',
    payload: z.strictObject({ id: z.string().check(z.regex(/^[A-Za-z0-9_-]{16,64}$/)) }),
    answer: z.strictObject({ action: z.string(), fields: z.record(z.string(), z.string()) }),
  },
} as const;

/** What the background may ask a content script (or a banner frame's reader). */
export const contentProtocol = {
  /**
   * A fresh reading of the page, taken now (not a cached one). `frames`: the banner frames' readings, also
   * taken now, which replace the ones the page last had. `row`: read the list row whose button was just
   * clicked for this patient, instead of the page's banner.
   */
  'context.read': {
    payload: z.strictObject({ frames: z.optional(frameReadingsSchema), row: z.optional(fingerprint) }),
    answer: z.strictObject({ context: z.nullable(patientContextSchema), fingerprint: z.nullable(fingerprint) }),
  },
  /** New button states for the patient the bar shows (a hint arrived); ignored if the patient has changed. */
  'bar.update': {
    payload: z.strictObject({ fingerprint, state: barStateSchema }),
    answer: empty,
  },
  /** The banner frames' latest readings, for the top frame to judge with its own page. */
  'frame.readings': { payload: frameReadingsSchema, answer: empty },
  /** To a banner frame's reader: its fresh reading, taken now. */
  'frame.read': { payload: empty, answer: z.strictObject({ reading: documentReadingSchema }) },
  /** To the strip's script in a partner tab: show this (null: take the strip and the title's warning away). */
  'strip.show': { payload: z.nullable(stripContentSchema), answer: empty },
  /** To the profile builder's picker: leave picking mode (picking started on another tab). */
  'picker.stop': { payload: empty, answer: empty },
  /** To the profile builder's picker: read the page now with this draft profile (validated by the picker). */
  'picker.read': {
    payload: z.strictObject({ profile: anything }),
    answer: z.strictObject({ context: z.nullable(patientContextSchema), problem: z.optional(z.string().check(z.maxLength(100))), reason: z.optional(z.string().check(z.maxLength(300))) }),
  },
} as const;

export type BackgroundMessageType = keyof typeof backgroundProtocol;
export type ContentMessageType = keyof typeof contentProtocol;
export type PayloadOf<T extends BackgroundMessageType> = z.infer<(typeof backgroundProtocol)[T]['payload']>;
export type AnswerOf<T extends BackgroundMessageType> = z.infer<(typeof backgroundProtocol)[T]['answer']>;
export type ContentPayloadOf<T extends ContentMessageType> = z.infer<(typeof contentProtocol)[T]['payload']>;
export type ContentAnswerOf<T extends ContentMessageType> = z.infer<(typeof contentProtocol)[T]['answer']>;

export interface ErrorAnswer {
  ok: false;
  error: { code: string; message: string };
}
export type Answer<T> = { ok: true; data: T } | ErrorAnswer;

/** Messages bigger than this are refused before parsing: no legitimate message comes near it. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
