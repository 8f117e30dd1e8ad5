import { renderRecordSections, renderSidebar } from './demo-ehr-pages';
import type { LayoutInput } from './demo-ehr-options';
import { renderEhrPage } from './demo-ehr-shell';
import type { DemoPatient } from './fixtures';
import { escapeHtml as e } from './html';
import { bannerName, formatNhsNumber, genderLabel } from './patient-format';

/**
 * The split layout: the current record and a linked record side by side (as when comparing a mother's and
 * a baby's records), each with its own banner. Two different patients are on screen, so a detector must not
 * pick either one.
 */

function paneBanner(patient: DemoPatient, pane: 'current' | 'linked', heading: string): string {
  return `<section class="patient-banner compact-banner" aria-label="Patient banner" data-testid="split-banner-${pane}">
  <h2>${e(heading)}</h2>
  <p><b>Name</b> <span>${e(bannerName(patient))}</span> <b>NHS No</b> <span>${e(formatNhsNumber(patient.nhsNumber))}</span> <b>DOB</b> <span>${e(patient.birthDate)}</span> <b>Gender</b> <span>${e(genderLabel(patient.gender))}</span></p>
</section>`;
}

function pane(patient: DemoPatient, name: 'current' | 'linked', heading: string): string {
  return `<div class="split-pane" data-testid="split-pane-${name}">
${paneBanner(patient, name, heading)}
${renderRecordSections(patient, undefined, `${name}-`)}
</div>`;
}

const SPLIT_CSS = `
.split{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
.split-pane{min-width:0;overflow:auto}
.compact-banner h2{margin:0 0 .25rem}
.compact-banner p{margin:0}
.compact-banner b{font-weight:400;color:#555}
.compact-banner span{margin-right:.75rem;font-weight:700}
`;

export function renderSplitPage({ patient, clinician, allPatients, options }: LayoutInput): string {
  return renderEhrPage({
    layout: 'split',
    title: `${bannerName(patient)} and ${bannerName(options.other)}`,
    clinician,
    banner: '',
    sidebar: renderSidebar(patient, allPatients),
    main: `<div class="split" data-testid="split-view">
${pane(patient, 'current', 'Current record')}
${pane(options.other, 'linked', 'Linked record')}
</div>`,
    css: SPLIT_CSS,
  });
}
