import type { ParchmentOrganization, ParchmentPatient, ParchmentUser } from './fixtures';
import { escapeHtml as e, htmlDocument } from './html';
import type { PortalPage } from './parchment-paths';
import { pick, seededRandom } from './seeded-random';

export const PORTAL_NAME = 'Parchment Portal (sandbox)';

const CSS = `
body{margin:0;font:14px/1.45 system-ui,sans-serif;color:#1b1f24;background:#f6f7fb}
.portal-nav{display:flex;gap:1rem;align-items:center;padding:.6rem 1rem;background:#4b2a85;color:#fff}
.portal-nav a{color:#fff}
main{padding:1rem;max-width:60rem}
.embed main{padding:.5rem}
.verified{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;padding:.75rem;background:#fff;border:1px solid #d9dce6;border-radius:6px}
.verified dt{color:#5b6170}
.verified dd{margin:0;font-weight:600}
table{width:100%;border-collapse:collapse;background:#fff}
th,td{padding:.3rem .5rem;border-bottom:1px solid #e4e6ee;text-align:left}
.error{padding:1rem;background:#fff0f0;border:1px solid #e0a0a0;border-radius:6px}
`;

export interface Prescription {
  drug: string;
  directions: string;
  quantity: string;
  prescribed: string;
  status: 'Active' | 'Completed' | 'Cancelled';
}

const DRUGS: ReadonlyArray<[string, string, string]> = [
  ['Amoxicillin 500 mg capsule', '1 capsule three times daily for 5 days', '15'],
  ['Salbutamol 100 microgram/dose inhaler', '2 puffs up to four times daily when required', '1'],
  ['Atorvastatin 20 mg tablet', '1 tablet at night', '30'],
  ['Metformin 500 mg tablet', '1 tablet twice daily with meals', '60'],
  ['Sertraline 50 mg tablet', '1 tablet daily', '30'],
  ['Ramipril 2.5 mg capsule', '1 capsule daily', '30'],
];

/** A stable prescription history per patient id. */
export function prescriptionsFor(patientId: string): Prescription[] {
  const random = seededRandom(patientId);
  return Array.from({ length: 3 + Math.floor(random() * 4) }, (_, i): Prescription => {
    const [drug, directions, quantity] = pick(random, DRUGS);
    const date = new Date(Date.UTC(2025, 8, 28 - i * 23));
    return { drug, directions, quantity, prescribed: date.toISOString().slice(0, 10), status: i === 0 ? 'Active' : pick(random, ['Active', 'Completed', 'Cancelled'] as const) };
  });
}

export interface PortalView {
  page: PortalPage;
  user: ParchmentUser;
  organization: ParchmentOrganization;
  patient: ParchmentPatient | undefined;
  /** Patients of the organization, listed on the dashboard. */
  patients: readonly ParchmentPatient[];
  tokenAgeMs: number;
}

function portalPath(page: PortalPage['kind'], embed: boolean, patientId?: string): string {
  if (page === 'dashboard' || patientId === undefined) return embed ? '/embed/dashboard' : '/dashboard';
  const base = embed ? `/embed/patients/${patientId}` : `/dashboard/patients/${patientId}`;
  return page === 'prescriptions' ? `${base}/prescriptions` : base;
}

/** What the SSO established, with test ids, so end-to-end tests can assert the launch context. */
function renderVerified(view: PortalView): string {
  const p = view.patient;
  return `<dl class="verified" aria-label="Verified context">
<dt>Signed in as</dt><dd data-testid="signed-in-user">${e(`${view.user.name} (${view.user.userId})`)}</dd>
<dt>Organization</dt><dd data-testid="organization">${e(`${view.organization.name} (${view.organization.organizationId})`)}</dd>
<dt>Patient</dt><dd data-testid="patient-name">${e(p?.name ?? 'none')}</dd>
<dt>NHS number</dt><dd data-testid="patient-nhs">${e(p?.nhsNumber ?? 'none')}</dd>
<dt>Patient id</dt><dd data-testid="patient-id">${e(p?.id ?? 'none')}</dd>
<dt>Page</dt><dd data-testid="page-kind">${e(view.page.kind)}</dd>
<dt>Token age (ms)</dt><dd data-testid="token-age-ms">${e(view.tokenAgeMs)}</dd>
<dt>Embedded</dt><dd data-testid="embed">${e(view.page.embed)}</dd>
</dl>`;
}

function renderDashboard(view: PortalView): string {
  const rows = view.patients.map(
    (p) =>
      `<tr><td><a href="${e(portalPath('patient', view.page.embed, p.id))}">${e(p.name)}</a></td><td>${e(p.nhsNumber)}</td><td>${e(p.id)}</td></tr>`,
  );
  return `<h1>Dashboard</h1><h2>Patients</h2>
<table><thead><tr><th>Name</th><th>NHS number</th><th>Parchment id</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function renderPatient(view: PortalView, patient: ParchmentPatient): string {
  return `<h1>${e(patient.name)}</h1>
<p>NHS number ${e(patient.nhsNumber)}</p>
<p><a href="${e(portalPath('prescriptions', view.page.embed, patient.id))}">Prescriptions</a></p>`;
}

function renderPrescriptions(view: PortalView, patient: ParchmentPatient): string {
  const rows = prescriptionsFor(patient.id).map(
    (rx) =>
      `<tr data-testid="prescription"><td>${e(rx.drug)}</td><td>${e(rx.directions)}</td><td>${e(rx.quantity)}</td><td>${e(rx.prescribed)}</td><td>${e(rx.status)}</td></tr>`,
  );
  return `<h1>Prescriptions - ${e(patient.name)}</h1>
<p><a href="${e(portalPath('patient', view.page.embed, patient.id))}">Back to patient</a></p>
<table><thead><tr><th>Medicine</th><th>Directions</th><th>Quantity</th><th>Prescribed</th><th>Status</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<p><button type="button">New prescription</button></p>`;
}

/** Embedded pages drop the navigation chrome, as the partner guide describes for /embed/. */
export function renderPortalPage(view: PortalView): string {
  const { page, patient } = view;
  const content =
    page.kind === 'dashboard' || !patient
      ? renderDashboard(view)
      : page.kind === 'patient'
        ? renderPatient(view, patient)
        : renderPrescriptions(view, patient);
  const nav = page.embed
    ? ''
    : `<nav class="portal-nav" aria-label="Portal"><strong>Parchment</strong><a href="/dashboard">Dashboard</a><span>${e(view.organization.name)}</span><a href="/auth/logout">Sign out</a></nav>`;
  return htmlDocument({
    title: `${page.kind} - ${PORTAL_NAME}`,
    css: CSS,
    body: `<div class="${page.embed ? 'embed' : 'full'}">${nav}<main>${renderVerified(view)}\n${content}</main></div>`,
  });
}

export function renderPortalMessage(title: string, testId: string, message: string, code?: string): string {
  const codeLine = code === undefined ? '' : `<p>Check: <code data-testid="sso-error-code">${e(code)}</code></p>`;
  return htmlDocument({
    title: `${title} - ${PORTAL_NAME}`,
    css: CSS,
    body: `<main><div class="error"><h1>${e(title)}</h1><p data-testid="${e(testId)}">${e(message)}</p>${codeLine}</div></main>`,
  });
}
