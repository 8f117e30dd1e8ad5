import { createLaunchBar } from '../../../src/content/launch-bar';

/**
 * The launch bar module on a test page, for the accessibility scan. In the EHR it lives in a closed shadow
 * root, which no scanner can enter; this page runs the same module after making attachShadow open, so axe can
 * check what the module draws (names, roles, contrast, focus) exactly as it draws it.
 */
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init: ShadowRootInit) {
  return attach.call(this, { ...init, mode: 'open' });
};

const bar = createLaunchBar({ onLaunch: async () => ({}), onPrefetch: () => undefined });
bar.place({ corner: 'bottom-right' });
bar.render(
  { nhsNumber: '9990000018', name: { family: 'SMITH', given: 'John', prefix: 'Mr' }, birthDate: '1985-03-12' },
  undefined,
  {
    partners: [
      { id: 'parchment', label: 'Parchment', state: 'ready' },
      { id: 'pkb', label: 'Patients Know Best', state: 'ready', hint: 'Patients Know Best holds data about this patient from other organisations.' },
      { id: 'knowledge-base', label: 'Knowledge base', state: 'setup-needed', message: 'Not set up on this computer yet: tell your IT service desk.' },
      { id: 'nhs-login', label: 'NHS login', state: 'pairing-needed', message: 'Sign in to NHS login first: open the EHR Launchpad menu in the toolbar.' },
    ],
  },
);
(window as unknown as { barReady: boolean }).barReady = true;
