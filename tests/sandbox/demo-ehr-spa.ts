import { EHR_NAME } from './demo-ehr-pages';
import type { LayoutInput } from './demo-ehr-options';
import { RECORD_DATE, clinicalRecordFor } from './demo-ehr-record';
import { READ_JSON, jsonBlock, pageScript } from './demo-ehr-script';
import { renderEhrPage } from './demo-ehr-shell';
import type { DemoPatient } from './fixtures';
import { escapeHtml as e } from './html';
import { ageOn, bannerName, displayName, formatDate, formatLongDate, formatNhsNumber, genderLabel } from './patient-format';

/**
 * The single-page app layout: the server sends a shell plus JSON of every patient; page script renders the
 * banner and the record, and the sidebar switches patients with history.pushState (no reload). A switch
 * keeps the banner element and its <dd>s and only changes their text, as SPA frameworks do.
 */

export interface SpaTable {
  id: string;
  title: string;
  headings: string[];
  rows: string[][];
}

export interface SpaPatient {
  nhsNumber: string;
  /** 'SMITH, John (Mr)': sidebar and title. */
  listName: string;
  /** Banner values, already formatted. */
  name: string;
  nhs: string;
  birthDate: string;
  gender: string;
  cards: { title: string; lines: string[] }[];
  tables: SpaTable[];
}

/** The formatted record, so the page script only builds elements and never formats data. */
export function spaPatient(patient: DemoPatient): SpaPatient {
  const r = clinicalRecordFor(patient);
  return {
    nhsNumber: patient.nhsNumber,
    listName: bannerName(patient),
    name: displayName(patient),
    nhs: formatNhsNumber(patient.nhsNumber),
    birthDate: formatLongDate(patient.birthDate),
    gender: genderLabel(patient.gender),
    cards: [
      { title: 'Demographics', lines: [`Age ${ageOn(patient.birthDate, RECORD_DATE)}`, genderLabel(patient.gender)] },
      { title: 'Address', lines: [...patient.address.lines, patient.address.town, patient.address.postcode] },
      { title: 'Registered GP', lines: [patient.gp.name, patient.gp.practice, `ODS ${patient.gp.odsCode}`] },
      { title: 'Allergies', lines: r.allergies },
    ],
    tables: [
      { id: 'problems', title: 'Problems', headings: ['Onset', 'Problem', 'SNOMED CT', 'Status', 'Significance'], rows: r.problems.map((p) => [formatDate(p.onset), p.term, p.code, p.status, p.significance]) },
      { id: 'medication', title: 'Medication', headings: ['Drug', 'Dosage', 'Quantity', 'Type', 'Last issued', 'Issues'], rows: r.medications.map((m) => [m.drug, m.dosage, m.quantity, m.type, formatDate(m.lastIssued), String(m.issues)]) },
      { id: 'observations', title: 'Observations', headings: ['Date', 'BP (mmHg)', 'Pulse', 'Temp (C)', 'Weight (kg)', 'SpO2'], rows: r.observations.map((o) => [formatDate(o.date), `${o.systolic}/${o.diastolic}`, String(o.pulse), o.temperature, o.weightKg, `${o.spo2}%`]) },
      { id: 'consultations', title: 'Consultations', headings: ['Date', 'Type', 'Clinician', 'Summary', 'Codes'], rows: r.encounters.map((c) => [formatDate(c.date), c.type, c.clinician, c.summary, c.codes.join('; ')]) },
      { id: 'results', title: 'Results', headings: ['Date', 'Test', 'Value', 'Units', 'Range', 'Flag'], rows: r.results.map((x) => [formatDate(x.date), x.test, x.value, x.unit, x.range, x.flag]) },
      { id: 'documents', title: 'Letters', headings: ['Received', 'From', 'Subject', 'Status'], rows: r.letters.map((l) => [formatDate(l.date), l.from, l.subject, l.status]) },
      { id: 'appointments', title: 'Appointments', headings: ['Date', 'Time', 'Clinician', 'Type', 'Status'], rows: r.appointments.map((a) => [formatDate(a.date), a.time, a.clinician, a.type, a.status]) },
    ],
  };
}

const SPA_SCRIPT = `
${READ_JSON}
const data = readJson('spa-data');
const byNhs = new Map(data.patients.map((p) => [p.nhsNumber, p]));
const banner = document.getElementById('spa-banner');
const record = document.getElementById('spa-record');
const list = document.getElementById('spa-patient-list');
const FIELDS = [['Name', 'name'], ['NHS Number', 'nhs'], ['Date of birth', 'birthDate'], ['Gender', 'gender']];
let current = null;

const h = (tag, attrs, children) => {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === 'text') el.textContent = value;
    else el.setAttribute(key, value);
  }
  for (const child of children || []) el.append(child);
  return el;
};

function renderBanner(p) {
  let dl = banner.querySelector('dl');
  if (!dl) {
    // Built once; later switches only change the text, as a framework re-render would.
    dl = h('dl', {}, FIELDS.map(([label, field]) => h('div', { class: 'pair' }, [h('dt', { text: label }), h('dd', { 'data-field': field })])));
    banner.replaceChildren(dl);
  }
  for (const [, field] of FIELDS) dl.querySelector('dd[data-field="' + field + '"]').textContent = p[field];
  banner.removeAttribute('aria-busy');
}

function renderRecord(p) {
  const cards = h('section', { 'aria-label': 'Summary' }, [
    h('h2', { text: 'Summary' }),
    h('div', { class: 'cards' }, p.cards.map((c) => h('div', { class: 'card' }, [h('h3', { text: c.title }), ...c.lines.map((line) => h('p', { text: line }))]))),
  ]);
  const tables = p.tables.map((t) =>
    h('section', { id: 'spa-' + t.id, 'data-testid': 'spa-section-' + t.id }, [
      h('h2', { text: t.title }),
      h('table', { class: 'data' }, [
        h('thead', {}, [h('tr', {}, [h('th', { scope: 'col' }), ...t.headings.map((x) => h('th', { scope: 'col', text: x })), h('th', { scope: 'col', text: 'Actions' })])]),
        h('tbody', {}, t.rows.map((row) => h('tr', {}, [
          h('td', {}, [h('input', { type: 'checkbox', 'aria-label': 'Select row' })]),
          ...row.map((cell) => h('td', { text: cell })),
          h('td', { class: 'actions' }, [h('button', { type: 'button', text: 'Open' }), h('button', { type: 'button', text: 'Print' })]),
        ]))),
      ]),
    ]),
  );
  record.replaceChildren(cards, ...tables);
}

function show(nhs) {
  const p = byNhs.get(nhs);
  if (!p) return false;
  renderBanner(p);
  renderRecord(p);
  current = nhs;
  document.title = p.listName + ' - ' + data.ehrName;
  for (const link of list.querySelectorAll('a[data-nhs]')) {
    if (link.dataset.nhs === nhs) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  // For benchmarks: when the banner last changed, on the page's performance clock.
  banner.setAttribute('data-switched-at', String(performance.now()));
  return true;
}

const nhsFromPath = () => {
  const match = /^\\/(?:spa|patients)\\/(\\d{10})$/.exec(location.pathname);
  return match ? match[1] : null;
};

list.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-nhs]');
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  const nhs = link.dataset.nhs;
  if (nhs === current || !byNhs.has(nhs)) return;
  history.pushState({ nhs }, '', '/spa/' + nhs);
  show(nhs);
});

window.addEventListener('popstate', (event) => {
  const nhs = (event.state && event.state.nhs) || nhsFromPath();
  if (nhs && nhs !== current) show(nhs);
});

history.replaceState({ nhs: data.initial }, '');
show(data.initial);
`;

/** The `<header><dl>` banner's style; the stale layout uses the same markup. */
export const DEMOGRAPHICS_BAR_CSS = `
.demographics-bar{min-height:3rem;padding:.5rem 1rem;background:#e6f4ea;border-bottom:2px solid #2e7d32}
.demographics-bar dl{display:flex;flex-wrap:wrap;gap:.25rem 1.5rem;margin:0}
.demographics-bar .pair{display:flex;gap:.4rem}
.demographics-bar dt{color:#555}
.demographics-bar dd{margin:0;font-weight:700}
`;

const SPA_CSS = `${DEMOGRAPHICS_BAR_CSS}
.spa-patients ul{margin:0;padding:0;list-style:none}
.spa-patients a{display:block;padding:.3rem .4rem;border-radius:3px;text-decoration:none}
.spa-patients a[aria-current]{background:#dbe4ee;font-weight:700}
.spa-patients small{display:block;color:#555}
`;

function renderSpaSidebar(all: readonly DemoPatient[]): string {
  const items = all
    .map(
      (p) =>
        `<li><a href="/spa/${e(p.nhsNumber)}" data-nhs="${e(p.nhsNumber)}" data-testid="spa-patient-${e(p.nhsNumber)}">${e(bannerName(p))}<small>NHS ${e(formatNhsNumber(p.nhsNumber))}</small></a></li>`,
    )
    .join('\n');
  return `<aside>
<section class="spa-patients"><h2>My patients</h2><nav id="spa-patient-list" aria-label="My patients" data-testid="spa-patient-list"><ul>
${items}
</ul></nav></section>
</aside>`;
}

export function renderSpaPage({ patient, clinician, allPatients }: LayoutInput): string {
  const data = { ehrName: EHR_NAME, initial: patient.nhsNumber, patients: allPatients.map(spaPatient) };
  return renderEhrPage({
    layout: 'spa',
    title: bannerName(patient),
    clinician,
    // Filled by the page script; aria-busy until then.
    banner: '<header id="spa-banner" class="demographics-bar" aria-label="Patient banner" aria-busy="true" data-testid="spa-banner"></header>',
    sidebar: renderSpaSidebar(allPatients),
    main: '<noscript><p>This EHR needs JavaScript.</p></noscript>\n<div id="spa-record" data-testid="spa-record"></div>',
    css: SPA_CSS,
    tail: `${jsonBlock('spa-data', data)}\n${pageScript('spa-script', SPA_SCRIPT)}`,
  });
}
