import type { Clinician, DemoPatient } from './fixtures';

/**
 * Query parameters of the demo EHR's patient pages. Every known parameter that is present is validated,
 * whatever the layout, so a typo in a test URL is a 400 with a reason rather than a silently ignored knob.
 */

export const OVERLAYS = ['cover', 'decoy', 'transparent-body', 'popover'] as const;
export type Overlay = (typeof OVERLAYS)[number];

export const DIGIT_STYLES = ['arabic', 'fullwidth'] as const;
export type DigitStyle = (typeof DIGIT_STYLES)[number];

export interface PageOptions {
  /** late: ms from page parse to banner insertion. */
  bannerDelayMs: number;
  /** busy: DOM mutations per second outside the banner. */
  mutationsPerSecond: number;
  /** busy: switch the banner's patient in place every N ms; 0 = never. */
  switchEveryMs: number;
  /** Any layout: a hostile overlay added overlayAt ms after parse. */
  overlay: Overlay | null;
  overlayAt: number;
  /** Any layout: embed `<origin>/fake-banner/<nhs>` in an iframe. */
  fakeBannerFrom: string | null;
  /** /hostile/digits: which non-ASCII digits the banner's NHS number uses. */
  digits: DigitStyle;
  /** split and stale: the other patient (default: the next one in PATIENTS). */
  other: DemoPatient;
}

export interface LayoutInput {
  patient: DemoPatient;
  clinician: Clinician;
  allPatients: readonly DemoPatient[];
  options: PageOptions;
  /** The EHR's banner service on another origin (the xframe layout embeds its banner from there). */
  bannerServiceOrigin: string;
}

export type PatientLayout = (input: LayoutInput) => string;

export type OptionsResult = { options: PageOptions; error?: undefined } | { options?: undefined; error: string };

class OptionError extends Error {}

function single(query: URLSearchParams, name: string): string | null {
  const values = query.getAll(name);
  if (values.length > 1) throw new OptionError(`${name} was given more than once`);
  return values[0] ?? null;
}

function integer(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = single(query, name);
  if (raw === null) return fallback;
  const value = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= min && value <= max)) throw new OptionError(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  return value;
}

function oneOf<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[]): T | null {
  const raw = single(query, name);
  if (raw === null) return null;
  if (!(allowed as readonly string[]).includes(raw)) throw new OptionError(`${name} must be one of: ${allowed.join(', ')} (got "${raw}")`);
  return raw as T;
}

function origin(query: URLSearchParams, name: string): string | null {
  const raw = single(query, name);
  if (raw === null) return null;
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    url = null;
  }
  // Exactly an origin: the page appends the path itself, so a path or query here would be a mistake.
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== raw) {
    throw new OptionError(`${name} must be an origin such as http://127.0.0.1:47102 (scheme, host and port only; got "${raw}")`);
  }
  return raw;
}

function otherPatient(query: URLSearchParams, patient: DemoPatient, all: readonly DemoPatient[]): DemoPatient {
  const raw = single(query, 'with');
  if (raw === null) {
    const next = all[(all.indexOf(patient) + 1) % all.length];
    if (!next || next === patient) throw new OptionError('the fixtures need at least two patients');
    return next;
  }
  const found = all.find((p) => p.nhsNumber === raw);
  if (!found) throw new OptionError(`with must be the NHS number of a demo patient (got "${raw}")`);
  if (found === patient) throw new OptionError("with must name a different patient from the page's own");
  return found;
}

export function parsePageOptions(query: URLSearchParams, patient: DemoPatient, all: readonly DemoPatient[]): OptionsResult {
  try {
    const options: PageOptions = {
      bannerDelayMs: integer(query, 'bannerDelayMs', 2000, 0, 10_000),
      mutationsPerSecond: integer(query, 'mutationsPerSecond', 0, 0, 1000),
      switchEveryMs: integer(query, 'switchEveryMs', 0, 0, 600_000),
      overlay: oneOf(query, 'overlay', OVERLAYS),
      overlayAt: integer(query, 'overlayAt', 1000, 0, 10_000),
      fakeBannerFrom: origin(query, 'fakeBannerFrom'),
      digits: oneOf(query, 'digits', DIGIT_STYLES) ?? 'arabic',
      other: otherPatient(query, patient, all),
    };
    // A timer below 10 ms would only measure the page fighting itself.
    if (options.switchEveryMs > 0 && options.switchEveryMs < 10) throw new OptionError('switchEveryMs must be 0 (off) or at least 10');
    return { options };
  } catch (error) {
    if (error instanceof OptionError) return { error: error.message };
    throw error;
  }
}
