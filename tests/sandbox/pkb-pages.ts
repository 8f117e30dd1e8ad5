import type { DemoPatient } from './fixtures';
import { escapeHtml, htmlDocument } from './html';
import { bannerName, formatDate, formatNhsNumber, genderLabel } from './patient-format';
import { PKB_PATHS, patientSummaryPath } from './pkb-fixtures';
import type { PkbClinician } from './pkb-fixtures';

/** PKB's web pages: sign-in, clinician home, patient summary, and messages. Light, but real pages. */

export const PKB_SITE = 'Patients Know Best (sandbox)';

const CSS = `body{font-family:system-ui,sans-serif;margin:0;color:#1d2b36;background:#f4f7f9}
header{display:flex;justify-content:space-between;align-items:center;background:#00596b;color:#fff;padding:.75rem 1.5rem}
header a{color:#fff}main{max-width:60rem;margin:1.5rem auto;padding:0 1.5rem}
section{background:#fff;border:1px solid #d5dde3;border-radius:6px;padding:1rem 1.25rem;margin-bottom:1rem}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:0}dt{font-weight:600}dd{margin:0 0 .5rem}
label{display:block;margin-top:.75rem}.error{color:#b3261e}.notice{border-left:4px solid #e8a317;background:#fff8e6}
table{border-collapse:collapse}td,th{text-align:left;padding:.25rem 1rem .25rem 0}`;

function page(title: string, user: PkbClinician | undefined, content: string): string {
  const who = user
    ? `<span>Signed in as <strong data-testid="pkb-user">${escapeHtml(user.name)}</strong>
(<span data-testid="pkb-username">${escapeHtml(user.username)}</span>) · <a href="${PKB_PATHS.logout}">Sign out</a></span>`
    : '<span data-testid="pkb-signed-out">Not signed in</span>';
  return htmlDocument({
    title: `${title} - ${PKB_SITE}`,
    css: CSS,
    body: `<header><strong>Patients Know Best</strong>${who}</header>
<main>
${content}
</main>`,
  });
}

export interface LoginPageOptions {
  /** Where the form posts: the OAuth interaction, or the web sign-in. */
  action: string;
  /** The OAuth client asking for access (authorisation page only). */
  clientId?: string;
  next?: string;
  error?: string;
  /** The user arrived from a refused single sign-on link. */
  otpRefused?: boolean;
}

export function renderLogin(options: LoginPageOptions): string {
  const intro = options.clientId
    ? `<p>Sign in to allow <span data-testid="pkb-login-client">${escapeHtml(options.clientId)}</span> to open PKB for you.</p>`
    : '<p>Sign in to PKB.</p>';
  const otp = options.otpRefused
    ? '<p class="error" data-testid="pkb-otp-error">This single sign-on link has expired or was already used. Open PKB again from your clinical system, or sign in below.</p>'
    : '';
  const error = options.error ? `<p class="error" data-testid="pkb-login-error">${escapeHtml(options.error)}</p>` : '';
  const next = options.next ? `<input type="hidden" name="next" value="${escapeHtml(options.next)}">` : '';
  return page(
    'Sign in',
    undefined,
    `<section>
<h1>Sign in</h1>
${intro}
${otp}
${error}
<form method="post" action="${escapeHtml(options.action)}" data-testid="pkb-login-form">
${next}
<label>Username <input name="username" autocomplete="username" data-testid="pkb-login-username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password" data-testid="pkb-login-password"></label>
<p><button type="submit" data-testid="pkb-login-submit">Sign in</button></p>
</form>
</section>`,
  );
}

export function renderHome(user: PkbClinician, patients: readonly DemoPatient[]): string {
  const rows = patients
    .map(
      (p) => `<tr data-testid="pkb-patient-row"><td><a href="${escapeHtml(patientSummaryPath(p.nhsNumber))}">${escapeHtml(bannerName(p))}</a></td>
<td>${escapeHtml(formatNhsNumber(p.nhsNumber))}</td><td>${escapeHtml(formatDate(p.birthDate))}</td></tr>`,
    )
    .join('\n');
  return page(
    'Home',
    user,
    `<h1 data-testid="pkb-page">Clinician home</h1>
<section><h2>My patients</h2>
<table><thead><tr><th>Name</th><th>NHS number</th><th>Born</th></tr></thead>
<tbody>
${rows}
</tbody></table></section>`,
  );
}

export function renderPatientSummary(user: PkbClinician, patient: DemoPatient, otherOrg: boolean): string {
  const notice = otherOrg
    ? `<section class="notice" data-testid="pkb-other-org">This record holds data from other organisations that may not be visible in your clinical system.</section>`
    : '';
  const sharing = otherOrg
    ? '<li>West Yorkshire Community Health (sandbox): care plan, 2 letters</li><li>Leeds Hospitals (sandbox): 3 test results</li>'
    : '<li>No data from other organisations.</li>';
  return page(
    `${bannerName(patient)} - Summary`,
    user,
    `<h1 data-testid="pkb-page">Patient summary</h1>
${notice}
<section aria-label="Patient details"><h2>Patient details</h2><dl>
<dt>Name</dt><dd data-testid="pkb-patient-name">${escapeHtml(bannerName(patient))}</dd>
<dt>NHS number</dt><dd data-testid="pkb-patient-nhs">${escapeHtml(patient.nhsNumber)}</dd>
<dt>Date of birth</dt><dd>${escapeHtml(formatDate(patient.birthDate))}</dd>
<dt>Gender</dt><dd>${escapeHtml(genderLabel(patient.gender))}</dd>
<dt>Address</dt><dd>${escapeHtml([...patient.address.lines, patient.address.town, patient.address.postcode].join(', '))}</dd>
</dl></section>
<section aria-label="Care team"><h2>Care team</h2>
<p>${escapeHtml(patient.gp.name)}, ${escapeHtml(patient.gp.practice)} (${escapeHtml(patient.gp.odsCode)})</p></section>
<section aria-label="Shared records"><h2>Shared records</h2><ul>${sharing}</ul></section>
<section aria-label="Messages"><h2>Messages</h2><p>No unread messages.</p></section>`,
  );
}

/** A message page (errors, unknown patients): `data-testid` names what happened. */
export function renderMessage(user: PkbClinician | undefined, title: string, testId: string, message: string): string {
  return page(title, user, `<section><h1>${escapeHtml(title)}</h1><p data-testid="${escapeHtml(testId)}">${escapeHtml(message)}</p></section>`);
}
