import { EHR_CSS, EHR_NAME, renderClassicPatientPage, renderPatientBanner } from './demo-ehr-pages';
import type { DigitStyle, PageOptions } from './demo-ehr-options';
import { READ_JSON, jsonBlock, pageScript } from './demo-ehr-script';
import type { Clinician, DemoPatient } from './fixtures';
import { escapeHtml as e, htmlDocument } from './html';
import { formatNhsNumber } from './patient-format';

/**
 * Hostile pages and add-ons for the extension's robustness tests. Each is the classic page with one thing
 * made difficult, so a failure points at that one thing.
 */

/** `/fake-banner/<nhs>`: nothing but a convincing classic banner, for embedding from another origin. */
export function renderFakeBannerPage(patient: DemoPatient): string {
  return htmlDocument({ title: `Patient banner - ${EHR_NAME}`, css: EHR_CSS, body: renderPatientBanner(patient) });
}

/** Swaps the classic page's banner (rendered byte for byte by renderPatientBanner) for another. */
function classicWithBanner(patient: DemoPatient, clinician: Clinician, all: readonly DemoPatient[], banner: string): string {
  const page = renderClassicPatientPage(patient, clinician, all);
  const classic = renderPatientBanner(patient);
  if (!page.includes(classic)) throw new Error('classic page no longer contains its banner verbatim');
  return page.replace(classic, () => banner);
}

export const HUGE_BANNER_CHUNKS = 1024;

/** `/hostile/huge-banner/<nhs>`: the classic banner plus an alerts row of ~1 MB of text in 1,024 spans. */
export function renderHugeBannerPage(patient: DemoPatient, clinician: Clinician, all: readonly DemoPatient[]): string {
  const sentence = 'Alert: check identity, allergies and consent before any action. ';
  const chunk = sentence.repeat(Math.ceil(1000 / sentence.length)).slice(0, 1000);
  const alerts = Array.from({ length: HUGE_BANNER_CHUNKS }, (_, i) => `<span>${e(`${i + 1}. ${chunk}`)}</span>`).join('');
  const banner = renderPatientBanner(patient).replace(
    '</tr></tbody></table>',
    () => `</tr>\n    <tr><th>Alerts</th><td class="pt-alerts" colspan="7" data-testid="huge-alerts">${alerts}</td></tr></tbody></table>`,
  );
  return classicWithBanner(patient, clinician, all, banner);
}

export const DEEP_NESTING = 5000;

const DEEP_SCRIPT = `
${READ_JSON}
const { depth } = readJson('deep-config');
const banner = document.getElementById('patient-banner');
const outer = document.createElement('div');
outer.id = 'deep-nest';
outer.setAttribute('data-testid', 'deep-nest');
let inner = outer;
for (let i = 1; i < depth; i++) {
  inner = inner.appendChild(document.createElement('div'));
  // No box per level: Chromium's renderer crashes laying out block boxes nested a few thousand deep.
  inner.className = 'deep-level';
}
banner.replaceWith(outer);
inner.append(banner);
outer.setAttribute('data-depth', String(depth));
`;

/**
 * `/hostile/deep/<nhs>`: page script wraps the banner in 5,000 nested divs (the HTML parser stops at 512).
 * The DOM is 5,000 deep; the levels are display: contents, so the layout tree is not.
 */
export function renderDeepPage(patient: DemoPatient, clinician: Clinician, all: readonly DemoPatient[]): string {
  const page = insertBefore(renderClassicPatientPage(patient, clinician, all), '</head>', '<style>.deep-level{display:contents}</style>\n');
  const tail = `${jsonBlock('deep-config', { depth: DEEP_NESTING })}\n${pageScript('deep-script', DEEP_SCRIPT)}\n`;
  return insertBefore(page, '</body>', tail);
}

const DIGIT_ZERO: Record<DigitStyle, number> = { arabic: 0x0660, fullwidth: 0xff10 };

export function toDigits(text: string, style: DigitStyle): string {
  return text.replace(/[0-9]/g, (d) => String.fromCodePoint(DIGIT_ZERO[style] + Number(d)));
}

/** `/hostile/digits/<nhs>?digits=arabic|fullwidth`: the banner's NHS number in non-ASCII digits. */
export function renderDigitsPage(patient: DemoPatient, clinician: Clinician, all: readonly DemoPatient[], digits: DigitStyle): string {
  const ascii = formatNhsNumber(patient.nhsNumber);
  const cell = `<td class="pt-nhs">${ascii}</td>`;
  const banner = renderPatientBanner(patient).replace(cell, () => `<td class="pt-nhs" data-digits="${e(digits)}">${e(toDigits(ascii, digits))}</td>`);
  return classicWithBanner(patient, clinician, all, banner);
}

const OVERLAY_CSS = `
.hostile-cover{position:fixed;inset:0;z-index:2147483647;background:transparent}
.hostile-decoy{position:fixed;inset:0;z-index:2147483647;background:rgb(255 255 255 / .97);pointer-events:none;display:grid;place-items:end;padding:2rem;font:1rem system-ui}
#hostile-popover{inset:0;width:100vw;height:100vh;max-width:none;max-height:none;margin:0;border:0;padding:2rem;background:rgb(255 255 255 / .6);font-size:1.25rem}
.fake-banner-frame{display:block;width:100%;height:3rem;border:0}
`;

const OVERLAY_SCRIPT = `
${READ_JSON}
const { overlay, overlayAt } = readJson('overlay-config');
const apply = () => {
  if (overlay === 'cover') {
    const cover = document.createElement('div');
    cover.className = 'hostile-cover';
    cover.setAttribute('data-testid', 'overlay-cover');
    document.body.append(cover);
  } else if (overlay === 'decoy') {
    // Paints over everything but lets clicks through: the clinician sees this, and clicks what lies beneath.
    const decoy = document.createElement('div');
    decoy.className = 'hostile-decoy';
    decoy.setAttribute('data-testid', 'overlay-decoy');
    decoy.textContent = 'Click here to claim your prize';
    document.body.append(decoy);
  } else if (overlay === 'transparent-body') {
    document.body.style.opacity = '0.3';
  } else {
    const popover = document.getElementById('hostile-popover');
    if (typeof popover.showPopover === 'function') popover.showPopover();
  }
  // Lets a test wait for the overlay instead of sleeping.
  document.documentElement.setAttribute('data-overlay', overlay);
};
if (overlayAt === 0) apply();
else setTimeout(apply, overlayAt);
`;

function insertBefore(html: string, marker: string, insert: string): string {
  const at = html.lastIndexOf(marker);
  if (at < 0) throw new Error(`page has no ${marker}`);
  return html.slice(0, at) + insert + html.slice(at);
}

/** `?fakeBannerFrom=` and `?overlay=`, added to any patient page. */
export function withHostileAddOns(html: string, patient: DemoPatient, options: PageOptions): string {
  if (!options.fakeBannerFrom && !options.overlay) return html;
  let page = insertBefore(html, '</head>', `<style>${OVERLAY_CSS}</style>\n`);
  if (options.fakeBannerFrom) {
    const src = `${options.fakeBannerFrom}/fake-banner/${patient.nhsNumber}`;
    const frame = `\n<iframe class="fake-banner-frame" src="${e(src)}" title="Patient banner" data-testid="fake-banner-frame"></iframe>`;
    // Just under the menus, where a banner would be.
    const nav = page.indexOf('</nav>');
    page = nav < 0 ? insertBefore(page, '</body>', frame) : page.slice(0, nav + 6) + frame + page.slice(nav + 6);
  }
  if (options.overlay) {
    const popover = options.overlay === 'popover'
      ? '<div id="hostile-popover" popover="manual" data-testid="overlay-popover"><p>Your session will expire in 5 minutes.</p></div>\n'
      : '';
    const config = { overlay: options.overlay, overlayAt: options.overlayAt };
    page = insertBefore(page, '</body>', `${popover}${jsonBlock('overlay-config', config)}\n${pageScript('overlay-script', OVERLAY_SCRIPT)}\n`);
  }
  return page;
}

/**
 * `/hostile/drawn/<nhs>`: the real banner's text at font-size 0, and another patient's banner drawn over it by a
 * `::before` rule. A reader of the DOM sees this patient; the clinician sees the other one.
 */
export function renderDrawnBannerPage(patient: DemoPatient, clinician: Clinician, all: readonly DemoPatient[]): string {
  const other = all.find((p) => p.nhsNumber !== patient.nhsNumber) ?? patient;
  const drawn = `Name ${other.family.toUpperCase()}, ${other.given}    NHS No ${formatNhsNumber(other.nhsNumber)}    DOB ${other.birthDate}`;
  const css = `<style>#patient-banner table{font-size:0}#patient-banner::before{content:${JSON.stringify(drawn)};font-size:1rem;white-space:pre}</style>`;
  return classicWithBanner(patient, clinician, all, css + renderPatientBanner(patient).replace('id="patient-banner"', 'id="patient-banner" data-testid="drawn-banner"'));
}

/**
 * `/hostile/closed-shadow/<nhs>`: the classic page, plus a second patient's banner inside a closed shadow root
 * (which page script can build and nothing outside can see without the browser's help).
 */
export function renderClosedShadowPage(patient: DemoPatient, clinician: Clinician, all: readonly DemoPatient[]): string {
  const other = all.find((p) => p.nhsNumber !== patient.nhsNumber) ?? patient;
  const script = pageScript(
    'closed-shadow-script',
    `${READ_JSON}
const banner = readJson('closed-shadow-banner');
const host = document.createElement('div');
host.setAttribute('data-testid', 'closed-shadow-host');
const root = host.attachShadow({ mode: 'closed' });
const section = document.createElement('section');
section.setAttribute('aria-label', 'Patient banner');
for (const [label, value] of banner) {
  const b = document.createElement('b');
  b.textContent = label;
  const span = document.createElement('span');
  span.textContent = ' ' + value + ' ';
  section.append(b, span);
}
root.append(section);
document.querySelector('main').prepend(host);`,
  );
  const fields = [['Name', `${other.family.toUpperCase()}, ${other.given}`], ['NHS No', formatNhsNumber(other.nhsNumber)], ['DOB', other.birthDate]];
  return renderClassicPatientPage(patient, clinician, all).replace('</body>', () => `${jsonBlock('closed-shadow-banner', fields)}${script}</body>`);
}
