import { escapeHtml as e, htmlDocument } from './html';

export const BLACK_PEAR_NAME = 'Black Pear Core (sandbox)';

const CSS = `
body{margin:0;font:14px/1.45 system-ui,sans-serif;color:#1d2125;background:#f5f6f2}
.bp-header{padding:.6rem 1rem;background:#2f4a2a;color:#fff;font-weight:600}
main{padding:1rem;max-width:56rem}
.context{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;padding:.75rem;background:#fff;border:1px solid #d6dbd0;border-radius:6px}
.context dt{color:#5a6153}
.context dd{margin:0;font-weight:600;word-break:break-all}
pre{background:#fff;border:1px solid #d6dbd0;border-radius:6px;padding:.75rem;overflow:auto;font-size:12px}
.error{padding:1rem;background:#fff0ef;border:1px solid #e2a9a2;border-radius:6px}
`;

function page(title: string, content: string): string {
  return htmlDocument({
    title: `${title} - ${BLACK_PEAR_NAME}`,
    css: CSS,
    body: `<header class="bp-header">${e(BLACK_PEAR_NAME)}</header>\n<main>${content}</main>`,
  });
}

/** What a verified launch established, shown by the app with test ids. */
export interface AppView {
  /** The patient identifier as sent (`https://fhir.nhs.uk/Id/nhs-number|<digits>`). */
  patient: string;
  nhsNumber: string;
  birthdate: string;
  location: string | null;
  serviceId: string;
  odsCode: string;
  requestingUser: string;
  userName: string;
  userRole: string;
  system: string;
  /** The client_assertion's iss (= sub): which trusted third party launched. */
  clientId: string;
  tokenAgeMs: number;
  /** The accepted subject_token claims, recorded with the session. */
  subjectClaims: Record<string, unknown>;
}

export function renderApp(view: AppView): string {
  return page(
    'Patient context',
    `<h1>Patient context</h1>
<dl class="context" aria-label="Launch context">
<dt>Patient</dt><dd data-testid="patient">${e(view.patient)}</dd>
<dt>NHS number</dt><dd data-testid="patient-nhs">${e(view.nhsNumber)}</dd>
<dt>Date of birth</dt><dd data-testid="birthdate">${e(view.birthdate)}</dd>
<dt>User</dt><dd data-testid="user-name">${e(view.userName)}</dd>
<dt>Role</dt><dd data-testid="user-role">${e(view.userRole)}</dd>
<dt>User id</dt><dd data-testid="user-id">${e(view.requestingUser)}</dd>
<dt>Organisation (ODS)</dt><dd data-testid="organization">${e(view.odsCode)}</dd>
<dt>Requesting system</dt><dd data-testid="system">${e(view.system)}</dd>
<dt>Service</dt><dd data-testid="service-id">${e(view.serviceId)}</dd>
<dt>Location</dt><dd data-testid="location">${e(view.location ?? 'none')}</dd>
<dt>Launched by</dt><dd data-testid="client-id">${e(view.clientId)}</dd>
<dt>Token age (ms)</dt><dd data-testid="token-age-ms">${e(view.tokenAgeMs)}</dd>
</dl>
<h2>Accepted subject_token claims</h2>
<pre data-testid="subject-token-claims">${e(JSON.stringify(view.subjectClaims, null, 2))}</pre>
<p><a href="/app/logout">Sign out</a></p>`,
  );
}

export function renderLaunchError(status: number, code: string, message: string, claim?: string): string {
  const claimLine = claim === undefined ? '' : `\n<p>Claim: <code data-testid="launch-error-claim">${e(claim)}</code></p>`;
  return page(
    `Launch refused (${code})`,
    `<div class="error"><h1>Launch refused</h1>
<p>Status: <span data-testid="launch-error-status">${e(status)}</span></p>
<p>Error code: <strong data-testid="launch-error-code">${e(code)}</strong></p>
<p data-testid="launch-error-message">${e(message)}</p>${claimLine}</div>`,
  );
}

/** Any other message page; `code` adds data-testid="<testId>-code". */
export function renderMessage(title: string, testId: string, message: string, code?: string): string {
  const codeLine = code === undefined ? '' : `\n<p>Code: <code data-testid="${e(testId)}-code">${e(code)}</code></p>`;
  return page(title, `<div class="error"><h1>${e(title)}</h1><p data-testid="${e(testId)}">${e(message)}</p>${codeLine}</div>`);
}

export function renderHome(launchUrl: string): string {
  return page(
    'Core Auth',
    `<h1>Core Auth launch (sandbox)</h1>
<p>Third-party systems launch Black Pear apps with <code>POST <span data-testid="launch-url">${e(launchUrl)}</span></code>
(application/x-www-form-urlencoded: client_assertion, subject_token, patient, birthdate, optional location).</p>`,
  );
}
