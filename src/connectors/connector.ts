import type { z } from 'zod';
import type { ClinicianProfile } from '../shared/clinician';
import type { LaunchInstruction } from '../shared/launch-instruction';
import type { PatientContext } from '../shared/patient';
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
  /** What the clinician's sign-in at this partner left (for partners with a sign-in step). */
  partnerSession?: unknown;
}

/** What a connector may use to end the clinician's session at the partner when they sign out. */
export type SignOutInput<Config> = Omit<LaunchInput<Config>, 'patient' | 'signer'>;

export interface LaunchOutput {
  instruction: LaunchInstruction;
  /** Something the clinician should know about this launch (for example: opened the dashboard, not the patient). */
  notice?: string;
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
  /** True when the clinician signs in to the partner once before launching (NHS login, from the popup). */
  signInStep?: boolean;
  /** Ends the clinician's session at the partner, where the partner offers a way to. */
  signOut?(input: SignOutInput<Config>): Promise<void>;
}
