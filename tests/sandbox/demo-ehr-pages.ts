import type { ClinicalRecord } from './demo-ehr-record';
import { RECORD_DATE, clinicalRecordFor } from './demo-ehr-record';
import type { Clinician, DemoPatient } from './fixtures';
import { escapeHtml as e, htmlDocument } from './html';
import { ageOn, bannerName, formatDate, formatNhsNumber, genderLabel } from './patient-format';

/**
 * Demo EHR pages. Each block is its own function so that more layouts (single-page app,
 * iframe, split view, late banner) can reuse them with a different arrangement.
 */

export const EHR_NAME = 'Riverside Demo EHR';

export const EHR_CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.4 system-ui,sans-serif;color:#1d2733;background:#eef2f6}
a{color:#0b5cad}
.app-header{display:flex;align-items:center;gap:1rem;padding:.5rem 1rem;background:#12355b;color:#fff}
.app-header a{color:#fff}
.brand{font-weight:700;font-size:1.1rem}
.app-header form{flex:1}
.app-header input{width:100%;max-width:28rem;padding:.3rem}
.main-nav>ul{display:flex;flex-wrap:wrap;margin:0;padding:0 1rem;list-style:none;background:#1f4e79}
.main-nav>ul>li{position:relative}
.main-nav>ul>li>a{display:block;padding:.5rem .75rem;color:#fff;text-decoration:none}
.main-nav ul ul{display:none;position:absolute;z-index:5;min-width:14rem;margin:0;padding:.25rem 0;list-style:none;background:#fff;box-shadow:0 2px 8px #0003}
.main-nav li:hover>ul{display:block}
.main-nav ul ul a{display:block;padding:.3rem .75rem}
.patient-banner{padding:.5rem 1rem;background:#fff7d6;border-bottom:2px solid #c9a400}
.patient-banner table{border-collapse:collapse}
.patient-banner th{padding:0 .4rem 0 1rem;font-weight:400;color:#555;text-align:right}
.patient-banner th:first-child{padding-left:0}
.patient-banner td{font-weight:700}
.layout{display:grid;grid-template-columns:16rem 1fr;gap:1rem;padding:1rem}
aside section,main section{margin-bottom:1rem;padding:.75rem;background:#fff;border:1px solid #d5dde6;border-radius:4px}
h2{margin:0 0 .5rem;font-size:1rem}
table.data{width:100%;border-collapse:collapse}
table.data th,table.data td{padding:.25rem .4rem;border-bottom:1px solid #e3e8ee;text-align:left;vertical-align:top}
.flag-H,.flag-L{color:#b00020;font-weight:700}
.tabs{display:flex;gap:.25rem;margin:0 0 1rem;padding:0;list-style:none}
.tabs a{display:block;padding:.35rem .7rem;background:#dbe4ee;border-radius:4px 4px 0 0;text-decoration:none}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.75rem}
.encounter{padding:.5rem 0;border-bottom:1px solid #e3e8ee}
.encounter header{display:flex;gap:1rem;font-weight:600}
.codes{display:flex;flex-wrap:wrap;gap:.25rem;margin:.25rem 0;padding:0;list-style:none}
.codes li{padding:0 .4rem;background:#e8f0fa;border-radius:3px}
.actions button{margin-right:.25rem}
footer{padding:1rem;color:#555;text-align:center}
`;

const NAV_MENUS: ReadonlyArray<[string, readonly string[]]> = [
  ['Home', ['Dashboard', 'Tasks', 'Messages', 'Workflow manager', 'Notifications', 'Calendar', 'Bookmarks', 'Preferences']],
  ['Patients', ['Find patient', 'Register patient', 'Recent patients', 'Patient lists', 'Deceased patients', 'Temporary residents', 'Merge records', 'Demographics audit']],
  ['Consultations', ['New consultation', 'Continue consultation', 'Templates', 'Protocols', 'Referrals', 'Fit notes', 'Care plans', 'Problem review']],
  ['Medication', ['Issue repeats', 'Acute prescribing', 'Medication review', 'Authorise requests', 'EPS tracker', 'Controlled drugs', 'Formulary', 'Alerts']],
  ['Appointments', ['Book appointment', 'Today', 'Session holders', 'Rota', 'Waiting list', 'Reminders', 'Online booking', 'Reports']],
  ['Results', ['Inbox', 'Filed results', 'Awaiting action', 'Pathology requests', 'Radiology', 'Microbiology', 'Trends', 'Audit']],
  ['Documents', ['Letters inbox', 'Scan document', 'Templates', 'Outgoing letters', 'Coding queue', 'Workflow', 'Archive', 'Search']],
  ['Reports', ['Practice reports', 'QOF', 'Clinical audit', 'Searches', 'Population health', 'Exports', 'Scheduled', 'Favourites']],
  ['Admin', ['Users', 'Roles', 'Organisation', 'Smartcards', 'Integrations', 'Audit trail', 'Settings', 'Help']],
  ['Help', ['User guide', 'What is new', 'Keyboard shortcuts', 'Training', 'Service desk', 'System status', 'About', 'Feedback']],
];

export function renderAppHeader(clinician: Clinician): string {
  return `<header class="app-header">
  <a class="brand" href="/">${e(EHR_NAME)}</a>
  <form role="search" action="/" method="get"><label>Search <input type="search" name="q" placeholder="Name, NHS number or DOB"></label></form>
  <div class="user-menu" data-testid="ehr-user"><span>${e(clinician.name)}</span> <span>(${e(clinician.id)})</span> <span>${e(clinician.roleName)}</span> <a href="/">Sign out</a></div>
</header>`;
}

export function renderMainNav(): string {
  const menus = NAV_MENUS.map(
    ([title, items]) =>
      `<li><a href="#">${e(title)}</a><ul>${items.map((item) => `<li><a href="#">${e(item)}</a></li>`).join('')}</ul></li>`,
  ).join('\n');
  return `<nav class="main-nav" aria-label="Main">\n<ul>\n${menus}\n</ul>\n</nav>`;
}

/** The banner detectors rely on; keep this structure byte for byte. */
export function renderPatientBanner(patient: DemoPatient): string {
  return `<section id="patient-banner" class="patient-banner" aria-label="Patient banner">
  <table><tbody><tr>
    <th>Name</th><td class="pt-name">${e(bannerName(patient))}</td>
    <th>NHS No</th><td class="pt-nhs">${e(formatNhsNumber(patient.nhsNumber))}</td>
    <th>DOB</th><td class="pt-dob">${e(formatDate(patient.birthDate))}</td>
    <th>Gender</th><td>${e(genderLabel(patient.gender))}</td>
  </tr></tbody></table>
</section>`;
}

/** Other patients with NHS numbers on the same page: realistic, and a trap for naive detectors. */
export function renderSidebar(patient: DemoPatient, allPatients: readonly DemoPatient[]): string {
  const recent = allPatients
    .filter((other) => other.nhsNumber !== patient.nhsNumber)
    .map(
      (other) =>
        `<li><a href="/patients/${e(other.nhsNumber)}">${e(bannerName(other))}</a> <small>NHS ${e(formatNhsNumber(other.nhsNumber))}</small></li>`,
    )
    .join('\n');
  const actions = ['Add consultation', 'Issue medication', 'Book appointment', 'Record observation', 'Send letter', 'Add alert', 'Print summary', 'Share record']
    .map((action) => `<li><a href="#">${e(action)}</a></li>`)
    .join('');
  return `<aside>
<section><h2>Quick actions</h2><ul>${actions}</ul></section>
<section><h2>Recent patients</h2><ul>
${recent}
</ul></section>
</aside>`;
}

function renderSummaryCards(patient: DemoPatient, record: ClinicalRecord): string {
  const card = (title: string, lines: readonly string[]) =>
    `<div class="card"><h3>${e(title)}</h3>${lines.map((line) => `<p>${e(line)}</p>`).join('')}</div>`;
  return `<section aria-label="Summary"><h2>Summary</h2><div class="cards">
${card('Demographics', [`Age ${ageOn(patient.birthDate, RECORD_DATE)}`, genderLabel(patient.gender), `Born ${formatDate(patient.birthDate)}`])}
${card('Address', [...patient.address.lines, patient.address.town, patient.address.postcode])}
${card('Registered GP', [patient.gp.name, patient.gp.practice, `ODS ${patient.gp.odsCode}`])}
${card('Allergies', record.allergies)}
</div></section>`;
}

function renderTabs(idPrefix: string): string {
  const tabs = ['Summary', 'Problems', 'Medication', 'Consultations', 'Results', 'Documents', 'Appointments', 'Care plans'];
  return `<ul class="tabs" role="tablist">${tabs.map((tab) => `<li role="presentation"><a role="tab" href="#${e(idPrefix + tab.toLowerCase())}">${e(tab)}</a></li>`).join('')}</ul>`;
}

export function dataTable(caption: string, id: string, headings: readonly string[], rows: readonly string[]): string {
  return `<section id="${e(id)}"><h2>${e(caption)}</h2>
<table class="data"><thead><tr>${headings.map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></section>`;
}

const actionCell = (label: string) =>
  `<td class="actions"><button type="button">View</button><button type="button">${e(label)}</button></td>`;

function renderProblems(record: ClinicalRecord, idPrefix: string): string {
  const rows = record.problems.map(
    (p) =>
      `<tr><td>${e(formatDate(p.onset))}</td><td>${e(p.term)}</td><td><code>${e(p.code)}</code></td><td>${e(p.status)}</td><td>${e(p.significance)}</td>${actionCell('Edit')}</tr>`,
  );
  return dataTable('Problems', `${idPrefix}problems`, ['Onset', 'Problem', 'SNOMED CT', 'Status', 'Significance', 'Actions'], rows);
}

function renderMedications(record: ClinicalRecord, idPrefix: string): string {
  const rows = record.medications.map(
    (m) =>
      `<tr><td>${e(m.drug)}</td><td>${e(m.dosage)}</td><td>${e(m.quantity)}</td><td>${e(m.type)}</td><td>${e(formatDate(m.lastIssued))}</td><td>${e(m.issues)}</td>${actionCell('Reissue')}</tr>`,
  );
  return dataTable('Medication', `${idPrefix}medication`, ['Drug', 'Dosage', 'Quantity', 'Type', 'Last issued', 'Issues', 'Actions'], rows);
}

function renderEncounters(record: ClinicalRecord, idPrefix: string): string {
  const items = record.encounters.map(
    (enc) => `<article class="encounter">
<header><time datetime="${e(enc.date)}">${e(formatDate(enc.date))}</time><span>${e(enc.type)}</span><span>${e(enc.clinician)}</span></header>
<p>${e(enc.summary)}</p>
<ul class="codes">${enc.codes.map((code) => `<li>${e(code)}</li>`).join('')}</ul>
<div class="actions"><button type="button">Open</button><button type="button">Print</button><button type="button">Audit</button></div>
</article>`,
  );
  return `<section id="${e(idPrefix)}consultations"><h2>Consultations</h2>\n${items.join('\n')}\n</section>`;
}

function renderResults(record: ClinicalRecord, idPrefix: string): string {
  const rows = record.results.map(
    (r) =>
      `<tr><td><input type="checkbox" aria-label="Select result"></td><td>${e(formatDate(r.date))}</td><td>${e(r.test)}</td><td class="flag-${e(r.flag || 'N')}">${e(r.value)}</td><td>${e(r.unit)}</td><td>${e(r.range)}</td><td>${e(r.flag)}</td></tr>`,
  );
  return dataTable('Results', `${idPrefix}results`, ['', 'Date', 'Test', 'Value', 'Units', 'Range', 'Flag'], rows);
}

function renderObservations(record: ClinicalRecord, idPrefix: string): string {
  const rows = record.observations.map(
    (o) =>
      `<tr><td>${e(formatDate(o.date))}</td><td>${e(o.systolic)}/${e(o.diastolic)}</td><td>${e(o.pulse)}</td><td>${e(o.temperature)}</td><td>${e(o.weightKg)}</td><td>${e(o.spo2)}%</td><td><button type="button">Graph</button></td></tr>`,
  );
  return dataTable('Observations', `${idPrefix}observations`, ['Date', 'BP (mmHg)', 'Pulse', 'Temp (C)', 'Weight (kg)', 'SpO2', ''], rows);
}

function renderAppointments(record: ClinicalRecord, idPrefix: string): string {
  const rows = record.appointments.map(
    (a) =>
      `<tr><td>${e(formatDate(a.date))}</td><td>${e(a.time)}</td><td>${e(a.clinician)}</td><td>${e(a.type)}</td><td>${e(a.status)}</td>${actionCell('Rebook')}</tr>`,
  );
  return dataTable('Appointments', `${idPrefix}appointments`, ['Date', 'Time', 'Clinician', 'Type', 'Status', 'Actions'], rows);
}

function renderLetters(record: ClinicalRecord, idPrefix: string): string {
  const rows = record.letters.map(
    (l) =>
      `<tr><td>${e(formatDate(l.date))}</td><td>${e(l.from)}</td><td><a href="#">${e(l.subject)}</a></td><td>${e(l.status)}</td>${actionCell('File')}</tr>`,
  );
  return dataTable('Letters', `${idPrefix}documents`, ['Received', 'From', 'Subject', 'Status', 'Actions'], rows);
}

export function renderFooter(): string {
  return `<footer><p>${e(EHR_NAME)} - sandbox build. All data is fictitious.</p></footer>`;
}

/**
 * The record under the banner: tabs, summary and the clinical sections. `idPrefix` keeps element ids unique
 * when one page shows two records (split view).
 */
export function renderRecordSections(patient: DemoPatient, record: ClinicalRecord = clinicalRecordFor(patient), idPrefix = ''): string {
  return `${renderTabs(idPrefix)}
${renderSummaryCards(patient, record)}
${renderProblems(record, idPrefix)}
${renderMedications(record, idPrefix)}
${renderObservations(record, idPrefix)}
${renderEncounters(record, idPrefix)}
${renderResults(record, idPrefix)}
${renderLetters(record, idPrefix)}
${renderAppointments(record, idPrefix)}`;
}

/** The classic layout: header, menus, banner at the top, sidebar and the record below. */
export function renderClassicPatientPage(patient: DemoPatient, clinician: Clinician, allPatients: readonly DemoPatient[]): string {
  const body = `${renderAppHeader(clinician)}
${renderMainNav()}
${renderPatientBanner(patient)}
<div class="layout">
${renderSidebar(patient, allPatients)}
<main>
${renderRecordSections(patient)}
</main>
</div>
${renderFooter()}`;
  return htmlDocument({ title: `${bannerName(patient)} - ${EHR_NAME}`, css: EHR_CSS, body });
}

export function renderPatientList(patients: readonly DemoPatient[], clinician: Clinician): string {
  const rows = patients.map(
    (p) =>
      `<tr><td><a href="/patients/${e(p.nhsNumber)}">${e(bannerName(p))}</a></td><td>${e(formatNhsNumber(p.nhsNumber))}</td><td>${e(formatDate(p.birthDate))}</td><td>${e(genderLabel(p.gender))}</td><td>${e(p.gp.practice)}</td></tr>`,
  );
  const body = `${renderAppHeader(clinician)}
${renderMainNav()}
<div class="layout"><div></div><main>
${dataTable('Patients', 'patient-list', ['Name', 'NHS No', 'DOB', 'Gender', 'Practice'], rows)}
</main></div>
${renderFooter()}`;
  return htmlDocument({ title: `Patients - ${EHR_NAME}`, css: EHR_CSS, body });
}

export function renderEhrNotFound(message: string): string {
  return htmlDocument({
    title: `Not found - ${EHR_NAME}`,
    css: EHR_CSS,
    body: `<main style="padding:2rem"><h1>Not found</h1><p data-testid="ehr-error">${e(message)}</p><p><a href="/">Back to the patient list</a></p></main>`,
  });
}
