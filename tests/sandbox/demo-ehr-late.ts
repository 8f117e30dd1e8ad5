import { renderRecordSections, renderSidebar } from './demo-ehr-pages';
import type { LayoutInput } from './demo-ehr-options';
import { READ_JSON, jsonBlock, pageScript } from './demo-ehr-script';
import { renderEhrPage } from './demo-ehr-shell';
import type { DemoPatient } from './fixtures';
import { escapeHtml as e } from './html';
import { bannerName, displayName, formatDate, formatNhsNumber, genderLabel } from './patient-format';

/**
 * The late layout: the whole page is there at once except the banner, which page script inserts after
 * bannerDelayMs (default 2 s), as when an EHR loads demographics from a slow service. A detector that
 * only looks once, at load, misses the patient.
 */

/** '1985-03-12' -> '12 Mar 1985'. */
const shortDate = (isoDate: string) => formatDate(isoDate).replaceAll('-', ' ');

/** In a <template>: inert, not in the document tree until the script clones it. */
export function renderLateBanner(patient: DemoPatient): string {
  const pair = (label: string, value: string, name: string) =>
    `<span class="pair"><label>${e(label)}</label> <output data-field="${e(name)}">${e(value)}</output></span>`;
  return `<section class="patient-banner late-banner" aria-label="Patient banner" data-testid="late-banner">
  ${pair('Patient', displayName(patient), 'name')}
  ${pair('NHS number', formatNhsNumber(patient.nhsNumber), 'nhs')}
  ${pair('Date of birth', shortDate(patient.birthDate), 'dob')}
  ${pair('Gender', genderLabel(patient.gender), 'gender')}
</section>`;
}

const LATE_SCRIPT = `
${READ_JSON}
const config = readJson('late-config');
const insert = () => {
  const slot = document.getElementById('banner-slot');
  const banner = document.getElementById('late-banner-template').content.firstElementChild.cloneNode(true);
  banner.setAttribute('data-inserted-at', String(performance.now()));
  slot.append(banner);
  slot.removeAttribute('aria-busy');
};
setTimeout(insert, config.bannerDelayMs);
`;

export function renderLatePage({ patient, clinician, allPatients, options }: LayoutInput): string {
  return renderEhrPage({
    layout: 'late',
    title: bannerName(patient),
    clinician,
    banner: '<div id="banner-slot" class="banner-slot" aria-busy="true" data-testid="banner-slot"></div>',
    sidebar: renderSidebar(patient, allPatients),
    main: renderRecordSections(patient),
    css: '.banner-slot{min-height:2.5rem}.late-banner{display:flex;flex-wrap:wrap;gap:.25rem 1.5rem}.late-banner label{color:#555}.late-banner output{font-weight:700}',
    tail: `<template id="late-banner-template">${renderLateBanner(patient)}</template>
${jsonBlock('late-config', { bannerDelayMs: options.bannerDelayMs })}
${pageScript('late-script', LATE_SCRIPT)}`,
  });
}
