import { dataTable } from './demo-ehr-pages';
import type { LayoutInput } from './demo-ehr-options';
import { renderEhrPage } from './demo-ehr-shell';
import type { Clinician, DemoPatient, Gender } from './fixtures';
import { PATIENTS } from './fixtures';
import { escapeHtml as e } from './html';
import { bannerName, formatDate, formatNhsNumber, genderLabel } from './patient-format';
import { pick, seededRandom } from './seeded-random';

/**
 * The list layout: a clinic list with many patients' NHS numbers and dates of birth in table rows and no
 * single-patient banner, so a detector must find no patient here. Rows beyond the real PATIENTS are
 * generated deterministically, with valid Modulus 11 NHS numbers in the 999 test range.
 */

export interface ListEntry {
  nhsNumber: string;
  family: string;
  given: string;
  prefix: string;
  birthDate: string;
  gender: Gender;
  /** Only entries that are real PATIENTS link to a patient page. */
  linked: boolean;
}

/** The Modulus 11 check digit for nine digits, or null when none exists (remainder gives 10). */
export function nhsCheckDigit(nineDigits: string): number | null {
  const sum = [...nineDigits].reduce((acc, digit, i) => acc + Number(digit) * (10 - i), 0);
  const check = 11 - (sum % 11);
  if (check === 10) return null;
  return check === 11 ? 0 : check;
}

const FAMILIES = ['SMITH', 'PATEL', 'NGUYEN', 'WILLIAMS-JONES', 'MACDONALD', "O'BRIEN", 'KHAN', 'EVANS', 'HUGHES', 'OKAFOR', 'KOWALSKA', 'BROWN', 'ÅBERG', 'TAYLOR'];
const GIVEN: Record<'male' | 'female', readonly string[]> = {
  male: ['John', 'Minh', 'Gareth', 'Ahmed', 'Tomasz', 'Oliver', 'Kwame', 'Seán'],
  female: ['Zoë', 'Priya', 'Eilidh', 'Amara', 'Grace', 'Fatima', 'Ewa', 'Siobhán'],
};

/** `count` rows: the real PATIENTS spread through generated ones, identical on every call. */
export function listEntries(count: number, seed = 'clinic-list'): ListEntry[] {
  const random = seededRandom(seed);
  const int = (max: number) => Math.floor(random() * max);
  const used = new Set(PATIENTS.map((p) => p.nhsNumber));
  const entries: ListEntry[] = [];
  const spacing = Math.max(1, Math.floor(count / PATIENTS.length));
  while (entries.length < count) {
    const real = entries.length % spacing === 0 ? PATIENTS[entries.length / spacing] : undefined;
    if (real) {
      entries.push({ ...real, linked: true });
      continue;
    }
    const nine = `999${String(int(1_000_000)).padStart(6, '0')}`;
    const check = nhsCheckDigit(nine);
    if (check === null || used.has(nine + check)) continue;
    used.add(nine + check);
    const gender = random() < 0.5 ? 'male' : 'female';
    const year = 1930 + int(92);
    const birthDate = `${year}-${String(1 + int(12)).padStart(2, '0')}-${String(1 + int(28)).padStart(2, '0')}`;
    const prefix = gender === 'male' ? (year > 2010 ? 'Master' : 'Mr') : pick(random, ['Ms', 'Mrs', 'Miss']);
    entries.push({ nhsNumber: nine + check, family: pick(random, FAMILIES), given: pick(random, GIVEN[gender]), prefix, birthDate, gender, linked: false });
  }
  return entries;
}

const REASONS = ['Medication review', 'Blood pressure check', 'Asthma review', 'New problem', 'Results discussion', 'Diabetes review', 'Fit note', 'Follow-up'];
const STATUSES = ['Booked', 'Arrived', 'In consultation', 'Seen', 'Did not attend'];

export const LIST_ROWS = 120;

export function renderListPage(clinician: Clinician, current?: DemoPatient): string {
  const random = seededRandom('clinic-list-slots');
  const rows = listEntries(LIST_ROWS).map((entry, i) => {
    const time = `${String(8 + Math.floor(i / 12)).padStart(2, '0')}:${String((i % 12) * 5).padStart(2, '0')}`;
    const name = entry.linked ? `<a href="/patients/${e(entry.nhsNumber)}">${e(bannerName(entry))}</a>` : e(bannerName(entry));
    const selected = current?.nhsNumber === entry.nhsNumber ? ' class="selected" aria-current="true"' : '';
    return `<tr data-testid="list-row" data-nhs="${e(entry.nhsNumber)}"${selected}><td><time>${e(time)}</time></td><td>${name}</td><td>${e(formatNhsNumber(entry.nhsNumber))}</td><td>${e(formatDate(entry.birthDate))}</td><td>${e(genderLabel(entry.gender))}</td><td>${e(pick(random, REASONS))}</td><td>${e(pick(random, STATUSES))}</td><td class="actions"><button type="button">Open</button><button type="button">Call in</button></td></tr>`;
  });
  const filters = `<form class="list-filters" role="search" data-testid="list-filters">
<label>Session <select name="session"><option>All sessions</option><option>Morning</option><option>Afternoon</option></select></label>
<label>Clinician <select name="clinician"><option>All clinicians</option><option>Dr Alice Jones</option><option>Dr Raj Patel</option></select></label>
<label>Status <select name="status">${STATUSES.map((s) => `<option>${e(s)}</option>`).join('')}</select></label>
<button type="submit">Filter</button></form>`;
  const sidebar = `<aside>
<section><h2>Lists</h2><ul>${['Today', 'Tomorrow', 'Unseen', 'Telephone', 'Home visits', 'Duty doctor'].map((l) => `<li><a href="#">${e(l)}</a></li>`).join('')}</ul></section>
<section><h2>Summary</h2><p>${e(LIST_ROWS)} patients booked</p></section>
</aside>`;
  return renderEhrPage({
    layout: 'list',
    title: 'Clinic list',
    clinician,
    banner: '',
    sidebar,
    main: `${filters}\n${dataTable('Clinic list', 'clinic-list', ['Time', 'Name', 'NHS No', 'DOB', 'Gender', 'Reason', 'Status', 'Actions'], rows)}`,
    css: 'tr.selected{background:#fff7d6}.list-filters{display:flex;flex-wrap:wrap;gap:1rem;margin-bottom:1rem}',
  });
}

export const renderListLayout = ({ clinician, patient }: LayoutInput) => renderListPage(clinician, patient);
