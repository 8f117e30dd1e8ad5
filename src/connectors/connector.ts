import type { z } from 'zod';
import type { ClinicianProfile } from '../shared/clinician';
import type { IdentityField } from '../shared/identity/partner-identity';
import type { Wording } from '../shared/launch-error';
import type { LaunchInstruction } from '../shared/launch-instruction';
import type { PatientContext } from '../shared/patient';
import type { Sha256 } from './digest';
import type { JwtSigner } from './jwt';

/** Everything a connector may use for one launch. No chrome.*: connectors also run in a server-side broker. */
export interface LaunchInput<Config> {
  config: Config;
  secrets: Readonly<Record<string, string>>;
  clinician: ClinicianProfile;
  patient: PatientContext;
  fetch: typeof fetch;
  /** Aborts partner calls when the launch as a whole runs out of time. */
  signal: AbortSignal;
  now: () => number;
  /** This installation's signing key, for connectors that declare `signingAlg`. */
  signer?: JwtSigner;
  /** SHA-256 for connectors that hash; WebCrypto's when absent. */
  sha256?: Sha256;
  /** What the clinician's sign-in at this partner left (for partners with a sign-in step). */
  partnerSession?: unknown;
  /**
   * For partners with a pairing: a live access token of this clinician's pairing. Pass the token the partner
   * just rejected to get a refreshed one (at most one refresh runs at a time, whoever asks).
   */
  accessToken?: AccessTokenSource;
}

export type AccessTokenSource = (rejected?: string) => Promise<string>;

/** Tokens from a partner's token endpoint. Refresh tokens stay in the background's vault. */
export interface TokenSet {
  accessToken: string;
  /** Absent when the partner did not rotate it: the old one stays valid. */
  refreshToken?: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** An authorization request on its way: what must come back (state) and what proves it is ours (verifier). */
export interface PendingPairing {
  url: string;
  state: string;
  codeVerifier: string;
  redirectUri: string;
}

interface PairingCall<Config> {
  config: Config;
  fetch: typeof fetch;
  signal: AbortSignal;
}

/** OAuth 2.0 pairing (authorization code + PKCE), done once per clinician; launches then spend access tokens. */
export interface OAuthPairing<Config> {
  begin(config: Config, redirectUri: string): Promise<PendingPairing>;
  complete(input: PairingCall<Config> & { pending: PendingPairing; callbackUrl: string }): Promise<TokenSet & { refreshToken: string }>;
  /** Throws LaunchError 're-pair-needed' when the partner no longer honours the refresh token. */
  refresh(input: PairingCall<Config> & { refreshToken: string }): Promise<TokenSet>;
  /** Best effort: tells the partner the pairing is over. */
  revoke?(input: PairingCall<Config> & { refreshToken: string }): Promise<void>;
}

/** What a connector may use to end the clinician's session at the partner when they sign out. */
export type SignOutInput<Config> = Omit<LaunchInput<Config>, 'patient' | 'signer'>;

export interface LaunchOutput {
  instruction: LaunchInstruction;
  /** Epoch ms after which the instruction no longer works (a one-time password's life); prefetch honours it. */
  expiresAt?: number;
  /** Something the clinician should know about this launch (for example: opened the dashboard, not the patient). */
  notice?: string;
  /** The notice in _locales, which the extension shows; `notice` is the English kept for the broker. */
  noticeWording?: Wording;
}

export interface Connector<Config> {
  kind: string;
  /** The partner's name as clinicians know it. */
  displayName: string;
  configSchema: z.ZodType<Config>;
  /** Secrets the connector needs from the vault, by name. */
  secretNames: readonly string[];
  /** Origins a launch instruction may point at for this configuration. */
  launchOrigins(config: Config): string[];
  /** For partners that trust signed tokens: which installation key algorithm to lend the connector. */
  signingAlg?(config: Config): 'ES256' | 'RS256';
  /** A URL whose Date header gives the partner's time (HEAD), for connectors whose tokens carry times. */
  clockProbeUrl?(config: Config): string;
  /** Origins the background calls with fetch (the extension needs host permission for them). */
  apiOrigins(config: Config): string[];
  buildLaunch(input: LaunchInput<Config>): Promise<LaunchOutput>;
  /**
   * What the partner is told about the clinician (and so acts on): the fields a verified identity must supply
   * when policy requires one. Absent or empty for partners where the clinician signs in themselves (PKB, NHS login).
   */
  identityFields?(config: Config): IdentityField[];
  /**
   * False when a launch carries nothing about the patient (the partner opens on its own pages, as a knowledge
   * base does): its tab is not for a patient, so it does not follow the EHR to the next one.
   */
  patientSpecific?: false;
  /** True when the clinician signs in to the partner once before launching (NHS login, from the popup). */
  signInStep?: boolean;
  /**
   * True when the partner request a launch makes carries nothing about the patient (PKB's OTP), so the engine
   * may start it while it re-reads the page; the patient only appears in the URL opened after the check.
   */
  patientFreeRequest?: boolean;
  /** Present for partners the clinician pairs with once (OAuth 2.0), such as Patients Know Best. */
  pairing?: OAuthPairing<Config>;
  /**
   * True when the page a launch landed on shows the partner refused the one-time credential (used or
   * expired); the engine then builds one fresh launch in the same tab, once.
   */
  landingRefused?(config: Config, url: string): boolean;
  /** A short note for the patient's button (PKB: it holds data from other organisations), or undefined. */
  patientHint?(input: Pick<LaunchInput<Config>, 'config' | 'patient' | 'fetch' | 'signal'> & { accessToken: AccessTokenSource }): Promise<Wording | undefined>;
  /** Ends the clinician's session at the partner, where the partner offers a way to. */
  signOut?(input: SignOutInput<Config>): Promise<void>;
}
