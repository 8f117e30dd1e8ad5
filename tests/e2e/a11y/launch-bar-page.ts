import { readRows } from '../../../src/content/detect-rows';
import { createLaunchBar } from '../../../src/content/launch-bar';
import { createRowButtons } from '../../../src/content/row-buttons';
import { ehrProfileSchema } from '../../../src/shared/ehr-profile';
import runtimeStub from './i18n-stub';

/**
 * The launch bar module on a test page, for the accessibility scan. In the EHR it lives in a closed shadow
 * root, which no scanner can enter; this page runs the same module after making attachShadow open, so axe can
 * check what the module draws (names, roles, contrast, focus) exactly as it draws it. A small patient list
 * with per-row launch buttons is drawn the same way.
 */
// The modules read their strings through the browser's i18n API, which a plain page does not have.
(globalThis as { chrome?: unknown }).chrome = runtimeStub;

const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init: ShadowRootInit) {
  return attach.call(this, { ...init, mode: 'open' });
};

const noop = { onLaunch: async () => ({}), onPrefetch: () => undefined, onRefused: () => undefined, onSignIn: () => undefined, onMinimise: () => undefined, onOpenMenu: async () => ({ opened: false }) };
const bar = createLaunchBar(noop);
bar.place({ corner: 'bottom-right' });
bar.render(
  { nhsNumber: '9990000018', name: { family: 'SMITH', given: 'John', prefix: 'Mr' }, birthDate: '1985-03-12' },
  undefined,
  {
    partners: [
      { id: 'parchment', label: 'Parchment', state: 'ready' },
      { id: 'pkb', label: 'Patients Know Best', state: 'ready', hint: 'Patients Know Best holds data about this patient from other organisations.' },
      { id: 'knowledge-base', label: 'Knowledge base', state: 'setup-needed', message: 'Knowledge base is not set up on this computer yet: tell your IT service desk.' },
      { id: 'nhs-login', label: 'NHS login', state: 'setup-needed', message: 'Sign in to NHS login first.' },
      { id: 'black-pear', label: 'Black Pear', state: 'sign-in-needed', message: 'Sign in with your organisation to open Black Pear.' },
    ],
    minimised: false,
  },
);
// The small tabs the bar becomes: minimised for a patient (its tooltip says whom for), and a page with no patient.
const minimised = createLaunchBar(noop);
minimised.place({ corner: 'top-left' });
minimised.render({ nhsNumber: '9990000018', name: { family: 'SMITH', given: 'John', prefix: 'Mr' }, birthDate: '1985-03-12' }, undefined, {
  partners: [{ id: 'parchment', label: 'Parchment', state: 'ready' }],
  minimised: true,
});
const noPatient = createLaunchBar(noop);
noPatient.place({ corner: 'bottom-left' });
noPatient.render(null, 'two-patients', null);
const list = document.createElement('table');
list.innerHTML = `<caption>Clinic list</caption><thead><tr><th scope="col">Name</th><th scope="col">NHS No</th><th scope="col">DOB</th><th scope="col">Actions</th></tr></thead>
<tbody><tr class="pt"><td>SMITH, John (Mr)</td><td>999 000 0018</td><td>12-Mar-1985</td><td class="actions"></td></tr>
<tr class="pt"><td>O'BRIEN-SMITH, Zoë (Ms)</td><td>999 123 4578</td><td>04-Jul-1992</td><td class="actions"></td></tr></tbody>`;
document.querySelector('main')!.append(list);
const profile = ehrProfileSchema.parse({
  name: 'list',
  rows: { selector: 'tr.pt', fields: { name: { selector: 'td:nth-child(1)' }, nhsNumber: { selector: 'td:nth-child(2)' }, birthDate: { selector: 'td:nth-child(3)' } }, anchor: { selector: 'td.actions' } },
});
createRowButtons({ onLaunch: async () => ({}), onRefused: () => undefined }).render(
  readRows(document, profile),
  { partners: [{ id: 'parchment', label: 'Parchment', state: 'ready' }, { id: 'pkb', label: 'Patients Know Best', state: 'ready' }] },
  profile.rows!.anchor,
);
(window as unknown as { barReady: boolean }).barReady = true;
