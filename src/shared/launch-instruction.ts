import { z } from 'zod';
import { isSecureUrl, LOOPBACK_HTTP_ALLOWED } from './url-policy';

/**
 * What a connector asks the background to do: open a URL in a new tab, or POST a form from a new tab so the
 * browser itself follows the partner's redirect.
 */
export type LaunchInstruction = { open: string } | { post: string; fields: Record<string, string> };

/** The same, as received from elsewhere (the launch broker): checked in shape, then against the allow-list. */
export const launchInstructionSchema = z.union([
  z.strictObject({ open: z.string().max(8192) }),
  z.strictObject({ post: z.string().max(8192), fields: z.record(z.string().max(200), z.string().max(16384)).refine((f) => Object.keys(f).length <= 50, 'too many fields') }),
]);

export function instructionUrl(instruction: LaunchInstruction): string {
  return 'open' in instruction ? instruction.open : instruction.post;
}

/**
 * True when a launch may go to this URL: https (or, in the sandbox build only, http on 127.0.0.1), no
 * credentials in the URL, and an origin the partner's configuration names.
 */
export function isAllowedLaunchUrl(
  url: string,
  allowedOrigins: readonly string[],
  allowLoopback = LOOPBACK_HTTP_ALLOWED,
): boolean {
  return isSecureUrl(url, allowLoopback) && allowedOrigins.includes(new URL(url).origin);
}
