import { PATIENTS } from '../sandbox/fixtures';

/**
 * The demo EHR's patient page layouts the detection specs cover, shared by the Chromium suite
 * (detection.spec.ts) and the Firefox one (tests/firefox/install-and-detect.spec.ts).
 */

const [john, , priya] = [PATIENTS[0]!, PATIENTS[1]!, PATIENTS[2]!];

/** Layouts that show one patient: the bar offers that patient (the path opens the layout for that patient). */
export const PATIENT_LAYOUTS = [
  { layout: 'classic', path: `/patients/${john.nhsNumber}`, patient: john },
  { layout: 'spa', path: `/spa/${john.nhsNumber}`, patient: john },
  { layout: 'iframe', path: `/patients/${priya.nhsNumber}?layout=iframe`, patient: priya },
  { layout: 'xframe', path: `/patients/${priya.nhsNumber}?layout=xframe`, patient: priya },
  { layout: 'late', path: `/patients/${john.nhsNumber}?layout=late`, patient: john },
  { layout: 'busy', path: `/patients/${john.nhsNumber}?layout=busy&mutationsPerSecond=50`, patient: john },
] as const;

/** Layouts where no launch is offered, and the reason the bar's small tab gives. */
export const NO_PATIENT_LAYOUTS = [
  { layout: 'list', why: /No patient found on this page/ },
  { layout: 'split', why: /more than one patient/ },
  { layout: 'stale', why: /disagree/ },
] as const;
