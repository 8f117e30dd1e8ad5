/**
 * The Parchment portal pages a redirect_path may name. Shared by the API (to validate
 * redirect_path) and the portal (to route), so both always agree.
 *
 *   /dashboard                               /embed/dashboard
 *   /dashboard/patients/<id>                 /embed/patients/<id>
 *   /dashboard/patients/<id>/prescriptions   /embed/patients/<id>/prescriptions
 */

export type PortalPageKind = 'dashboard' | 'patient' | 'prescriptions';

export interface PortalPage {
  kind: PortalPageKind;
  embed: boolean;
  patientId?: string;
}

const PATIENT_ID = '([A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)';
const PAGE_PATTERNS: ReadonlyArray<[RegExp, PortalPageKind, boolean]> = [
  [/^\/dashboard$/, 'dashboard', false],
  [new RegExp(`^/dashboard/patients/${PATIENT_ID}$`), 'patient', false],
  [new RegExp(`^/dashboard/patients/${PATIENT_ID}/prescriptions$`), 'prescriptions', false],
  [/^\/embed\/dashboard$/, 'dashboard', true],
  [new RegExp(`^/embed/patients/${PATIENT_ID}$`), 'patient', true],
  [new RegExp(`^/embed/patients/${PATIENT_ID}/prescriptions$`), 'prescriptions', true],
];

export function parsePortalPage(path: string): PortalPage | undefined {
  for (const [pattern, kind, embed] of PAGE_PATTERNS) {
    const match = pattern.exec(path);
    if (!match) continue;
    const patientId = match[1];
    return patientId === undefined ? { kind, embed } : { kind, embed, patientId };
  }
  return undefined;
}

/**
 * Checks a redirect_path in a fixed order and returns the first problem, or the page.
 * Open-redirect shapes are rejected before the page lookup so the detail names the real fault.
 */
export function checkRedirectPath(path: string): { page: PortalPage } | { problem: string } {
  if (!path.startsWith('/') || path.startsWith('//')) {
    return { problem: "redirect_path must be a relative path starting with a single '/'" };
  }
  if (path.includes('\\')) return { problem: 'redirect_path must not contain backslashes' };
  if (path.includes('..')) return { problem: "redirect_path must not contain '..'" };
  if (path.includes(':')) return { problem: 'redirect_path must not contain a URL scheme' };
  const page = parsePortalPage(path);
  if (!page) return { problem: `redirect_path is not a Parchment portal page: ${path}` };
  return { page };
}
