import { renderRecordSections } from './demo-ehr-pages';
import type { LayoutInput } from './demo-ehr-options';
import { renderEhrPage } from './demo-ehr-shell';
import type { DemoPatient } from './fixtures';
import { escapeHtml as e } from './html';
import { ageOn, bannerName, formatDate, genderLabel } from './patient-format';
import { RECORD_DATE } from './demo-ehr-record';

/**
 * The community layout: a community-care system's client strip, in its own words. "Client:", "Healthcare
 * No." with the number unspaced, "Birth:" with the age after it, each label and value in one text; a
 * generated id and hashed and utility classes beside the names that last. The generic reader has no label
 * for any of it, so only a profile reads it: the one an administrator teaches with the profile builder
 * (tests/e2e/profile-builder.spec.ts). The caseload beside it lists other clients the same way.
 */

const COMMUNITY_CSS = `
.client-strip{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;padding:.6rem 1rem;background:#e7f4ee;border-bottom:3px solid #2e7d5b}
.client-strip span{font-weight:600}
.client-strip .muted-note{font-weight:400;color:#555}
.caseload li{padding:.2rem 0}
`;

function clientStrip(patient: DemoPatient): string {
  return `<section id="cmp-48213" class="client-strip p-2 css-9x7k2q" data-region="client-details" data-testid="community-strip">
  <span class="who css-1q2w3e">Client: ${e(bannerName(patient))}</span>
  <span data-item="hcn" class="mt-1">Healthcare No. ${e(patient.nhsNumber)}</span>
  <span aria-label="Birth details">Birth: ${e(formatDate(patient.birthDate))} (${ageOn(patient.birthDate, RECORD_DATE)}y)</span>
  <span class="sc-bdVaJa">Gender: ${e(genderLabel(patient.gender))}</span>
  <span class="muted-note">Community nursing, Riverside locality</span>
</section>`;
}

function caseload(patient: DemoPatient, all: readonly DemoPatient[]): string {
  const others = all
    .filter((other) => other.nhsNumber !== patient.nhsNumber)
    .map((other) => `<li><a href="/patients/${e(other.nhsNumber)}?layout=community">${e(bannerName(other))}</a> <small>Healthcare No. ${e(other.nhsNumber)}</small></li>`)
    .join('\n');
  return `<aside><section class="caseload"><h2>Caseload</h2><ul>
${others}
</ul></section></aside>`;
}

export function renderCommunityPage({ patient, clinician, allPatients }: LayoutInput): string {
  return renderEhrPage({
    layout: 'community',
    title: bannerName(patient),
    clinician,
    banner: clientStrip(patient),
    sidebar: caseload(patient, allPatients),
    main: renderRecordSections(patient),
    css: COMMUNITY_CSS,
  });
}
