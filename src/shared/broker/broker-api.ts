import { z } from 'zod';
import { launchInstructionSchema } from '../launch-instruction';

/**
 * The launch broker's answers, as the extension checks them and as docs/broker-openapi.json publishes them
 * (scripts/broker-openapi.ts generates the document from these): one definition, so neither can drift.
 */

/** POST /v1/launch's answer. Strict: an answer with anything else in it is not a launch. */
export const launchAnswerSchema = z.strictObject({
  instruction: launchInstructionSchema.describe(
    'Open this URL in a new tab ({open}), or POST these form fields to this URL from a new tab ({post, fields}). The extension opens it only if its origin is one the partner\'s configuration names.',
  ),
  notice: z.string().max(300).optional().describe('Something the clinician should know about this launch, for example that the dashboard opened rather than the patient.'),
  expiresAt: z.number().optional().describe('Epoch milliseconds after which the instruction no longer works.'),
});

export type LaunchAnswer = z.infer<typeof launchAnswerSchema>;

/**
 * Every refusal and failure. The extension words the code itself, so a message of any length keeps its code (the
 * extension cuts what it keeps of the message).
 */
export const brokerProblemSchema = z.object({
  code: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/).describe('A short, stable code (see the error codes in docs/broker.md).'),
  message: z.string().describe('Written for the clinician, in English; the extension shows its own wording for the code. Never a token, secret, key or launch URL.'),
});
