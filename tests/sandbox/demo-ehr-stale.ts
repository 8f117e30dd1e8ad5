import { renderRecordSections, renderSidebar } from './demo-ehr-pages';
import type { LayoutInput } from './demo-ehr-options';
import { renderEhrPage } from './demo-ehr-shell';
import { DEMOGRAPHICS_BAR_CSS } from './demo-ehr-spa';
import { escapeHtml as e } from './html';
import { bannerName, displayName, formatLongDate, formatNhsNumber, genderLabel } from './patient-format';

/**
 * The stale layout: the SPA banner markup, left half-updated after a switch: name, NHS number and gender
 * are the page's patient, the date of birth is still the previous patient's (?with=, default the next one
 * in PATIENTS). Each field reads cleanly on its own; only a cross-check can tell the banner is wrong.
 */

export function renderStalePage({ patient, clinician, allPatients, options }: LayoutInput): string {
  const pair = (label: string, value: string, field: string) =>
    `<div class="pair"><dt>${e(label)}</dt><dd data-field="${e(field)}">${e(value)}</dd></div>`;
  const banner = `<header class="demographics-bar" aria-label="Patient banner" data-testid="stale-banner"><dl>${[
    pair('Name', displayName(patient), 'name'),
    pair('NHS Number', formatNhsNumber(patient.nhsNumber), 'nhs'),
    pair('Date of birth', formatLongDate(options.other.birthDate), 'birthDate'),
    pair('Gender', genderLabel(patient.gender), 'gender'),
  ].join('')}</dl></header>`;
  return renderEhrPage({
    layout: 'stale',
    title: bannerName(patient),
    clinician,
    banner,
    sidebar: renderSidebar(patient, allPatients),
    main: renderRecordSections(patient),
    css: DEMOGRAPHICS_BAR_CSS,
  });
}
