import { z } from 'zod';

/**
 * Who the clinician is, as partners need it in their launch claims. Set in the popup on first use;
 * organisation-level fields may come from configuration.
 */
export const clinicianProfileSchema = z.strictObject({
  displayName: z.string().trim().min(1, 'Enter your name as colleagues see it').max(100),
  username: z
    .string()
    .trim()
    .min(1, 'Enter your username')
    .max(100)
    .regex(/^[\p{L}\p{N}._@'-]+$/u, 'A username has letters, digits and . _ @ \' - only'),
  email: z.email('Enter a valid email address').max(200),
  /** NHS identity, for partners that trust signed NHS Spine-style claims (Black Pear). */
  sdsUserId: z.optional(z.string().trim().regex(/^[0-9]{6,20}$/, 'An SDS user id is digits only')),
  roleProfileId: z.optional(z.string().trim().regex(/^[0-9]{6,20}$/, 'A role profile id is digits only')),
  roleName: z.optional(z.string().trim().min(1).max(100)),
  parchmentUserId: z.optional(z.string().trim().max(100).regex(/^[A-Za-z0-9_-]*$/, 'A Parchment user id has letters, digits, _ and - only')),
});

export type ClinicianProfile = z.infer<typeof clinicianProfileSchema>;
