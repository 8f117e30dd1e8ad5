import { renderClassicPatientPage, renderEhrNotFound, renderPatientList, EHR_NAME } from './demo-ehr-pages';
import { CLINICIANS, PATIENTS } from './fixtures';
import type { Clinician, DemoPatient } from './fixtures';
import { simpleErrorPage } from './html';
import { htmlReply } from './http-kit';
import { createSettingsStore } from './settings-store';
import type { SandboxModule, SandboxReply, SandboxRequest } from './types';

type PatientLayout = (patient: DemoPatient, clinician: Clinician, allPatients: readonly DemoPatient[]) => string;

/** Patient page layouts by name; new ones (spa, iframe, split, late-banner) plug in here. */
const LAYOUTS: Record<string, PatientLayout> = {
  classic: renderClassicPatientPage,
};

interface EhrSettings {
  /** Which layout /patients/<nhs> uses (overridable per request with ?layout=). */
  layout: string;
  /** The EHR user shown as signed in. */
  clinicianId: string;
}

const defaults = (): EhrSettings => ({ layout: 'classic', clinicianId: CLINICIANS[0]?.id ?? '' });

export function createDemoEhr(): SandboxModule {
  const settings = createSettingsStore({
    defaults,
    validate: (s) => {
      if (!LAYOUTS[s.layout]) return `layout must be one of: ${Object.keys(LAYOUTS).join(', ')}`;
      if (!CLINICIANS.some((c) => c.id === s.clinicianId)) return `clinicianId must be one of: ${CLINICIANS.map((c) => c.id).join(', ')}`;
      return undefined;
    },
  });

  const clinician = (): Clinician => {
    const found = CLINICIANS.find((c) => c.id === settings.current.clinicianId) ?? CLINICIANS[0];
    if (!found) throw new Error('fixtures have no clinicians');
    return found;
  };

  function handle(req: SandboxRequest): SandboxReply {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return htmlReply(405, simpleErrorPage(405, 'Method not allowed', EHR_NAME), { allow: 'GET, HEAD' });
    }
    if (req.path === '/') return htmlReply(200, renderPatientList(PATIENTS, clinician()));

    const match = /^\/patients\/([^/]+)$/.exec(req.path);
    if (match) {
      const nhsNumber = match[1] ?? '';
      const patient = PATIENTS.find((p) => p.nhsNumber === nhsNumber);
      if (!patient) return htmlReply(404, renderEhrNotFound(`No patient with NHS number ${nhsNumber}`));
      const layoutName = req.query.get('layout') ?? settings.current.layout;
      const layout = LAYOUTS[layoutName];
      if (!layout) return htmlReply(404, renderEhrNotFound(`Unknown layout ${layoutName}`));
      return htmlReply(200, layout(patient, clinician(), PATIENTS));
    }
    return htmlReply(404, renderEhrNotFound(`No page at ${req.path}`));
  }

  return {
    name: 'ehr',
    handle,
    errorReply: (status, message) => htmlReply(status, simpleErrorPage(status, message, EHR_NAME)),
    settings,
  };
}
