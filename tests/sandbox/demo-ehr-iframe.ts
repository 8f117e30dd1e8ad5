import { EHR_NAME, renderRecordSections, renderSidebar } from './demo-ehr-pages';
import type { LayoutInput } from './demo-ehr-options';
import { renderEhrPage } from './demo-ehr-shell';
import type { DemoPatient } from './fixtures';
import { escapeHtml as e, htmlDocument } from './html';
import { bannerName, formatDayFirstDate, formatNhsNumber, genderLabel } from './patient-format';

/**
 * The iframe layout: the banner is a separate, same-origin document (as in EHRs built from portlets), so a
 * detector in the top frame sees no patient and one in the banner frame sees nothing else.
 */

export const bannerFramePath = (patient: DemoPatient) => `/patients/${patient.nhsNumber}/banner-frame`;

export function renderIframePage({ patient, clinician, allPatients }: LayoutInput): string {
  return framedBannerPage('iframe', bannerFramePath(patient), patient, clinician, allPatients);
}

/**
 * The xframe layout: the same, but the banner frame comes from the EHR's banner service on another origin, so
 * the top frame cannot read it; only a reader inside that frame can, when the EHR's profile names the origin.
 */
export function renderCrossOriginFramePage({ patient, clinician, allPatients, bannerServiceOrigin }: LayoutInput): string {
  return framedBannerPage('xframe', `${bannerServiceOrigin}${bannerFramePath(patient)}`, patient, clinician, allPatients);
}

function framedBannerPage(layout: string, src: string, patient: DemoPatient, clinician: LayoutInput['clinician'], allPatients: readonly DemoPatient[]): string {
  return renderEhrPage({
    layout,
    title: bannerName(patient),
    clinician,
    banner: `<iframe class="banner-frame" src="${e(src)}" title="Patient banner" data-testid="banner-frame"></iframe>`,
    sidebar: renderSidebar(patient, allPatients),
    main: renderRecordSections(patient),
    css: '.banner-frame{display:block;width:100%;height:2.75rem;border:0;border-bottom:2px solid #c9a400;background:#fff7d6}',
  });
}

const FRAME_CSS = `
body{margin:0;font:14px/1.4 system-ui,sans-serif;color:#1d2733;background:#fff7d6}
.patient-banner{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;padding:.6rem 1rem}
.label{color:#555}
.value{font-weight:700}
`;

/** The frame document: nothing but the banner. */
export function renderBannerFrame(patient: DemoPatient): string {
  const field = (label: string, value: string, name: string) =>
    `  <div class="field"><span class="label">${e(label)}</span> <span class="value" data-field="${e(name)}">${e(value)}</span></div>`;
  const body = `<div class="patient-banner" role="region" aria-label="Patient banner" data-testid="frame-banner">
${field('Name:', bannerName(patient), 'name')}
${field('NHS No:', formatNhsNumber(patient.nhsNumber), 'nhs')}
${field('Born:', formatDayFirstDate(patient.birthDate), 'dob')}
${field('Gender:', genderLabel(patient.gender), 'gender')}
</div>`;
  return htmlDocument({ title: `Patient banner - ${EHR_NAME}`, css: FRAME_CSS, body });
}
