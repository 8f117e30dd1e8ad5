import { dataTable, renderRecordSections, renderSidebar } from './demo-ehr-pages';
import { listEntries } from './demo-ehr-list';
import type { LayoutInput } from './demo-ehr-options';
import { READ_JSON, jsonBlock, pageScript } from './demo-ehr-script';
import { renderEhrPage } from './demo-ehr-shell';
import type { DemoPatient } from './fixtures';
import { escapeHtml as e } from './html';
import { bannerName, formatDate, formatNhsNumber, genderLabel } from './patient-format';
import { pick, seededRandom } from './seeded-random';

/**
 * The busy layout, for performance tests: more than 10,000 elements, and page script that changes the DOM
 * outside the banner mutationsPerSecond times a second (clock, ticker, worklist), so an extension that
 * re-scans on every mutation shows up. switchEveryMs, or window.__demoEhr.switchTo(nhs), changes the banner's
 * patient in place and stamps data-switched-at (performance.now()) on it, so a benchmark can time banner
 * change -> launch bar updated. Only the banner switches; the record below stays the first patient's.
 */

export const WORKLIST_ROWS = 700;

/** The banner's text for one patient, formatted the way this EHR prints it. */
function bannerValues(patient: DemoPatient) {
  return {
    nhsNumber: patient.nhsNumber,
    name: bannerName(patient),
    nhs: formatNhsNumber(patient.nhsNumber),
    dob: formatDate(patient.birthDate).toUpperCase(),
    gender: genderLabel(patient.gender),
    born: `Born ${formatDate(patient.birthDate)}`,
  };
}

function renderBusyBanner(patient: DemoPatient): string {
  const values = bannerValues(patient);
  const field = (label: string, name: keyof typeof values) =>
    `<div class="busy-field"><div class="k">${e(label)}</div><div class="v" data-field="${e(name)}">${e(values[name])}</div></div>`;
  return `<div id="busy-banner" class="patient-banner busy-banner" aria-label="Patient banner" data-testid="busy-banner">
${field('Name', 'name')}${field('NHS no.', 'nhs')}${field('D.O.B.', 'dob')}${field('Sex', 'gender')}
</div>`;
}

const TASKS = ['Review result', 'Sign prescription', 'Reply to message', 'Code letter', 'Call patient', 'Update care plan', 'Authorise repeat'];
const OWNERS = ['Dr Alice Jones', 'Dr Raj Patel', 'Nurse Ngozi Okafor', 'Pharmacist Tom Reid', 'Reception'];
const STATES = ['New', 'In progress', 'Waiting', 'Done'];

function renderWorklist(): string {
  const random = seededRandom('busy-worklist-tasks');
  const rows = listEntries(WORKLIST_ROWS, 'busy-worklist').map(
    (entry, i) =>
      `<tr data-row="${i}"><td>${e(pick(random, TASKS))}</td><td>${e(bannerName(entry))}</td><td>${e(formatNhsNumber(entry.nhsNumber))}</td><td>${e(formatDate(entry.birthDate))}</td><td>${e(pick(random, OWNERS))}</td><td class="state">${e(pick(random, STATES))}</td><td class="actions"><button type="button">Open</button><button type="button">Done</button></td></tr>`,
  );
  return dataTable('Practice worklist', 'worklist', ['Task', 'Patient', 'NHS No', 'DOB', 'Assigned to', 'State', 'Actions'], rows);
}

function renderTicker(): string {
  const items = Array.from({ length: 12 }, (_, i) => `<li>Waiting for updates (${i + 1})</li>`).join('');
  return `<section aria-label="Activity"><h2>Activity <time id="busy-clock" data-testid="busy-clock">--:--:--</time></h2><ol id="busy-ticker" class="ticker" data-testid="busy-ticker">${items}</ol></section>`;
}

const BUSY_SCRIPT = `
${READ_JSON}
const data = readJson('busy-data');
const banner = document.getElementById('busy-banner');
const clock = document.getElementById('busy-clock');
const tickerItems = document.getElementById('busy-ticker').children;
const states = document.querySelectorAll('#worklist td.state');
const rows = document.querySelectorAll('#worklist tbody tr');
const byNhs = new Map(data.patients.map((p) => [p.nhsNumber, p]));
const order = data.patients.map((p) => p.nhsNumber);
const STATES = ['New', 'In progress', 'Waiting', 'Done'];
let current = data.initial;
let mutationCount = 0;
let switchCount = 0;

// One DOM operation per mutation, outside the banner, cycling through the kinds a real EHR has.
function mutate(n) {
  const stamp = new Date().toISOString().slice(11, 23);
  switch (n % 4) {
    case 0: clock.textContent = stamp; break;
    case 1: tickerItems[n % tickerItems.length].textContent = stamp + ' result filed for row ' + (n % rows.length); break;
    case 2: states[n % states.length].textContent = STATES[n % STATES.length]; break;
    default: rows[n % rows.length].classList.toggle('flash'); break;
  }
  mutationCount++;
}

if (data.mutationsPerSecond > 0) {
  const started = performance.now();
  let done = 0;
  setInterval(() => {
    const due = Math.floor(((performance.now() - started) * data.mutationsPerSecond) / 1000);
    // A throttled background tab would otherwise catch up in one burst.
    if (due - done > data.mutationsPerSecond) done = due - data.mutationsPerSecond;
    while (done < due) mutate(done++);
  }, 20);
}

function switchTo(nhs) {
  const p = byNhs.get(String(nhs));
  if (!p) throw new Error('No demo patient with NHS number ' + nhs);
  for (const field of ['name', 'nhs', 'dob', 'gender']) banner.querySelector('[data-field="' + field + '"]').textContent = p[field];
  // The whole record follows the switch, as a real EHR's does (the stale layout is the one that does not).
  for (const line of document.querySelectorAll('.card p')) if (line.textContent.startsWith('Born ')) line.textContent = p.born;
  current = p.nhsNumber;
  switchCount++;
  const at = performance.now();
  banner.setAttribute('data-switched-at', String(at));
  return at;
}

if (data.switchEveryMs > 0) {
  setInterval(() => switchTo(order[(order.indexOf(current) + 1) % order.length]), data.switchEveryMs);
}

window.__demoEhr = Object.freeze({
  layout: 'busy',
  switchTo,
  get current() { return current; },
  get mutationCount() { return mutationCount; },
  get switchCount() { return switchCount; },
});
`;

export function renderBusyPage({ patient, clinician, allPatients, options }: LayoutInput): string {
  const data = {
    initial: patient.nhsNumber,
    mutationsPerSecond: options.mutationsPerSecond,
    switchEveryMs: options.switchEveryMs,
    patients: allPatients.map(bannerValues),
  };
  return renderEhrPage({
    layout: 'busy',
    title: bannerName(patient),
    clinician,
    banner: renderBusyBanner(patient),
    sidebar: renderSidebar(patient, allPatients),
    main: `${renderTicker()}\n${renderWorklist()}\n${renderRecordSections(patient)}`,
    css: `.busy-banner{display:flex;flex-wrap:wrap;gap:.25rem 1.5rem}.busy-field{display:flex;gap:.4rem}.busy-field .k{color:#555}.busy-field .v{font-weight:700}
.ticker{max-height:8rem;overflow:auto;font-size:.85rem}tr.flash{background:#e8f0fa}`,
    tail: `${jsonBlock('busy-data', data)}\n${pageScript('busy-script', BUSY_SCRIPT)}`,
  });
}
