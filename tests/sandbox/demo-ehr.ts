import { renderBusyPage } from './demo-ehr-busy';
import { renderCommunityPage } from './demo-ehr-community';
import { renderClosedShadowPage, renderDeepPage, renderDigitsPage, renderDrawnBannerPage, renderFakeBannerPage, renderHugeBannerPage, withHostileAddOns } from './demo-ehr-hostile';
import { HOSTILE_BAR_KINDS, renderHostileBarPage, type HostileBarKind } from './demo-ehr-hostile-bar';
import { renderBannerFrame, renderCrossOriginFramePage, renderIframePage } from './demo-ehr-iframe';
import { renderLatePage } from './demo-ehr-late';
import { renderListLayout, renderListPage } from './demo-ehr-list';
import { parsePageOptions } from './demo-ehr-options';
import type { PatientLayout } from './demo-ehr-options';
import { renderClassicPatientPage, renderEhrNotFound, renderPatientList, EHR_NAME } from './demo-ehr-pages';
import { renderSpaPage } from './demo-ehr-spa';
import { renderSplitPage } from './demo-ehr-split';
import { renderStalePage } from './demo-ehr-stale';
import { CLINICIANS, PATIENTS } from './fixtures';
import type { Clinician, DemoPatient } from './fixtures';
import { simpleErrorPage } from './html';
import { htmlReply } from './http-kit';
import { createSettingsStore } from './settings-store';
import type { SandboxLinks, SandboxModule, SandboxReply, SandboxRequest } from './types';

/** Patient page layouts by name (README, "Demo EHR"). */
const LAYOUTS: Record<string, PatientLayout> = {
  classic: ({ patient, clinician, allPatients }) => renderClassicPatientPage(patient, clinician, allPatients),
  spa: renderSpaPage,
  iframe: renderIframePage,
  xframe: renderCrossOriginFramePage,
  list: renderListLayout,
  split: renderSplitPage,
  late: renderLatePage,
  stale: renderStalePage,
  busy: renderBusyPage,
  community: renderCommunityPage,
};

const layoutNames = () => Object.keys(LAYOUTS).join(', ');

/** Per-patient paths: a layout page, its banner frame, or a hostile fixture. */
const ROUTES: ReadonlyArray<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^\/(patients|spa)\/([^/]+)$/, (m) => m[1] ?? ''],
  [/^\/patients\/([^/]+)\/banner-frame$/, () => 'banner-frame'],
  [/^\/fake-banner\/([^/]+)$/, () => 'fake-banner'],
  [/^\/hostile\/(huge-banner|deep|digits|drawn|closed-shadow)\/([^/]+)$/, (m) => m[1] ?? ''],
  // Attacks on the launch bar itself (demo-ehr-hostile-bar.ts).
  [new RegExp(`^/hostile/(${HOSTILE_BAR_KINDS.join('|')})/([^/]+)$`), (m) => m[1] ?? ''],
];

function routeOf(path: string): { kind: string; nhsNumber: string } | null {
  for (const [pattern, kindOf] of ROUTES) {
    const match = pattern.exec(path);
    // The NHS number is always the last group.
    if (match) return { kind: kindOf(match), nhsNumber: match[match.length - 1] ?? '' };
  }
  return null;
}

interface EhrSettings {
  /** Which layout /patients/<nhs> uses (overridable per request with ?layout=). */
  layout: string;
  /** The EHR user shown as signed in. */
  clinicianId: string;
}

const defaults = (): EhrSettings => ({ layout: 'classic', clinicianId: CLINICIANS[0]?.id ?? '' });

export function createDemoEhr(links: SandboxLinks): SandboxModule {
  const settings = createSettingsStore({
    defaults,
    validate: (s) => {
      if (!LAYOUTS[s.layout]) return `layout must be one of: ${layoutNames()}`;
      if (!CLINICIANS.some((c) => c.id === s.clinicianId)) return `clinicianId must be one of: ${CLINICIANS.map((c) => c.id).join(', ')}`;
      return undefined;
    },
  });

  const clinician = (): Clinician => {
    const found = CLINICIANS.find((c) => c.id === settings.current.clinicianId) ?? CLINICIANS[0];
    if (!found) throw new Error('fixtures have no clinicians');
    return found;
  };

  const badRequest = (message: string) => htmlReply(400, simpleErrorPage(400, message, EHR_NAME));
  const notFound = (message: string) => htmlReply(404, renderEhrNotFound(message));
  const findPatient = (nhsNumber: string) => PATIENTS.find((p) => p.nhsNumber === nhsNumber);

  /** A layout page; `forced` is the layout a path implies (/spa/<nhs>), otherwise ?layout= or the setting. */
  function patientPage(req: SandboxRequest, patient: DemoPatient, forced?: string): SandboxReply {
    const requested = req.query.getAll('layout');
    if (requested.length > 1) return badRequest('layout was given more than once');
    const layoutName = forced ?? requested[0] ?? settings.current.layout;
    const layout = LAYOUTS[layoutName];
    if (!layout) return badRequest(`layout must be one of: ${layoutNames()} (got "${layoutName}")`);
    const parsed = parsePageOptions(req.query, patient, PATIENTS);
    if (parsed.error !== undefined) return badRequest(parsed.error);
    const html = layout({ patient, clinician: clinician(), allPatients: PATIENTS, options: parsed.options, bannerServiceOrigin: links.urlOf('ehr-banner') });
    return htmlReply(200, withHostileAddOns(html, patient, parsed.options));
  }

  /** Pages under one patient that are not layouts (frames, hostile fixtures). */
  function patientSubPage(req: SandboxRequest, kind: string, patient: DemoPatient): SandboxReply | undefined {
    const parsed = parsePageOptions(req.query, patient, PATIENTS);
    if (parsed.error !== undefined) return badRequest(parsed.error);
    const who = clinician();
    switch (kind) {
      case 'banner-frame':
        return htmlReply(200, renderBannerFrame(patient));
      case 'fake-banner':
        return htmlReply(200, renderFakeBannerPage(patient));
      case 'huge-banner':
        return htmlReply(200, renderHugeBannerPage(patient, who, PATIENTS));
      case 'deep':
        return htmlReply(200, renderDeepPage(patient, who, PATIENTS));
      case 'digits':
        return htmlReply(200, renderDigitsPage(patient, who, PATIENTS, parsed.options.digits));
      case 'drawn':
        return htmlReply(200, renderDrawnBannerPage(patient, who, PATIENTS));
      case 'closed-shadow':
        return htmlReply(200, renderClosedShadowPage(patient, who, PATIENTS));
      default:
        if ((HOSTILE_BAR_KINDS as readonly string[]).includes(kind)) {
          return htmlReply(200, renderHostileBarPage(kind as HostileBarKind, patient, who, PATIENTS, parsed.options.other));
        }
        return undefined;
    }
  }

  function handle(req: SandboxRequest): SandboxReply {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return htmlReply(405, simpleErrorPage(405, 'Method not allowed', EHR_NAME), { allow: 'GET, HEAD' });
    }
    if (req.path === '/') return htmlReply(200, renderPatientList(PATIENTS, clinician()));
    if (req.path === '/list') return htmlReply(200, renderListPage(clinician()));

    const route = routeOf(req.path);
    if (route) {
      const patient = findPatient(route.nhsNumber);
      if (!patient) return notFound(`No patient with NHS number ${route.nhsNumber}`);
      if (route.kind === 'patients') return patientPage(req, patient);
      if (route.kind === 'spa') return patientPage(req, patient, 'spa');
      const reply = patientSubPage(req, route.kind, patient);
      if (reply) return reply;
    }
    return notFound(`No page at ${req.path}`);
  }

  return {
    name: 'ehr',
    handle,
    errorReply: (status, message) => htmlReply(status, simpleErrorPage(status, message, EHR_NAME)),
    settings,
  };
}

/**
 * The EHR's banner service on an origin of its own (`ehr-banner`): some EHRs serve the patient banner from
 * another host and frame it into the record page (the xframe layout). It serves only banner frames.
 */
export function createEhrBannerService(): SandboxModule {
  const settings = createSettingsStore({ defaults: () => ({}), validate: () => undefined });
  function handle(req: SandboxRequest): SandboxReply {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return htmlReply(405, simpleErrorPage(405, 'Method not allowed', EHR_NAME), { allow: 'GET, HEAD' });
    }
    const match = /^\/patients\/([^/]+)\/banner-frame$/.exec(req.path);
    const patient = match ? PATIENTS.find((p) => p.nhsNumber === match[1]) : undefined;
    if (!patient) return htmlReply(404, renderEhrNotFound(`No banner at ${req.path}`));
    return htmlReply(200, renderBannerFrame(patient));
  }
  return {
    name: 'ehr-banner',
    handle,
    errorReply: (status, message) => htmlReply(status, simpleErrorPage(status, message, EHR_NAME)),
    settings,
  };
}
