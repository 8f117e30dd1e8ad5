import type { Connector } from '../../connectors/connector';
import type { ClinicianProfile } from '../../shared/clinician';
import type { Config, PartnerConfig } from '../../shared/config';
import { isLaunchError, LaunchError } from '../../shared/launch-error';
import { launchErrorText } from '../../shared/launch-error-text';
import { contextFingerprint, type PatientContext } from '../../shared/patient';
import { CLICK_REFUSAL_MESSAGES, type BarState } from '../../shared/protocol';
import type { AuditEntry } from '../audit/audit';
import type { PartnerClinician } from '../../shared/identity/partner-identity';
import type { ClinicianState } from '../identity/clinician-source';
import { PatientChangedError, type launchFromTab } from './launch';
import type { LaunchRefusal } from './launch-refusals';
import type { PrefetchBinding } from '../prefetch/prefetch-store';
import type { HandlerMap } from '../messages/router';
import type { TabContext } from '../page/tab-contexts';

/** What the launch messages ask of the rest of the extension; handlers.ts passes the real ones, tests their own. */
export interface LaunchHandlerDeps {
  launchFromTab: typeof launchFromTab;
  config(): Promise<Config>;
  clinicianState(config?: Config): Promise<ClinicianState>;
  partnerClinician(state: ClinicianState, partner: PartnerConfig, connector: Connector<unknown>): PartnerClinician;
  connectorFor(kind: string): Connector<unknown> | undefined;
  barStateFor(config: Config, who: ClinicianState): Promise<Pick<BarState, 'partners'>>;
  /** What the tab last reported. */
  reportedContext(tabId: number): Promise<TabContext | undefined>;
  getTab(tabId: number): Promise<{ index: number; windowId?: number }>;
  recordRefusal(tabId: number, refusal: LaunchRefusal): Promise<void>;
  clearRefusal(tabId: number): Promise<void>;
  recordAudit(entry: AuditEntry): Promise<void>;
  startPrefetch(binding: PrefetchBinding, partner: PartnerConfig, connector: Connector<unknown>, clinician: ClinicianProfile, patient: PatientContext): void;
  /** A message from _locales by key. */
  message(key: string): string;
}

type LaunchMessages = 'launch.request' | 'launch.refused' | 'launch.fromPopup' | 'launch.prefetch';

/** The launch messages: a click on the bar or a list row, a click the bar refused, a launch from the popup, a hover. */
export function launchHandlers(deps: LaunchHandlerDeps): Pick<HandlerMap, LaunchMessages> {
  /** Keeps a refused or failed launch from the bar for the tab's popup and badge, in the background's own words. */
  async function keepRefusal(tabId: number, partnerId: string, message: string, fingerprint: string | null): Promise<void> {
    const partner = (await deps.config()).partners.find((p) => p.id === partnerId);
    await deps.recordRefusal(tabId, { partnerId, partnerLabel: partner?.label ?? partnerId, message, fingerprint, at: Date.now() });
  }

  return {
    async 'launch.request'({ partnerId, fingerprint, row }, sender) {
      try {
        const result = await deps.launchFromTab(partnerId, fingerprint, sender, { row: row === true });
        await deps.clearRefusal(sender.tabId);
        return result;
      } catch (error) {
        // For whom the tab shows now: after a patient change, the new patient; a list page shows nobody.
        const shownNow = row ? null : error instanceof PatientChangedError ? error.shownNow : fingerprint;
        const message = isLaunchError(error) ? launchErrorText(error) : deps.message('barFailed');
        await keepRefusal(sender.tabId, partnerId, message, shownNow).catch(() => undefined);
        throw error;
      }
    },

    async 'launch.refused'({ partnerId, refusal }, sender) {
      // The tab's own last report says whom it shows (the page's word for it is not needed here).
      const [tab, { profile: clinician }] = await Promise.all([deps.reportedContext(sender.tabId), deps.clinicianState()]);
      const shown = tab?.context && tab.documentId === sender.documentId ? tab.context : null;
      await keepRefusal(sender.tabId, partnerId, deps.message(CLICK_REFUSAL_MESSAGES[refusal]), shown ? contextFingerprint(shown) : null);
      await deps.recordAudit({ time: new Date().toISOString(), event: 'launch', clinician: clinician?.username ?? null, partnerId, nhsNumber: shown?.nhsNumber ?? null, outcome: 'refused', code: `bar-${refusal}`, ms: 0 });
      return {};
    },

    async 'launch.fromPopup'({ tabId, partnerId, fingerprint }) {
      // The tab's last report names the frame and document that showed the patient; the launch re-reads them.
      const tab = await deps.reportedContext(tabId);
      if (!tab?.context) throw new LaunchError('no-patient', 'There is no patient on this tab, so nothing was opened.', ['launchNoPatient']);
      const info = await deps.getTab(tabId);
      return deps.launchFromTab(partnerId, fingerprint, {
        kind: 'content',
        url: tab.url,
        origin: tab.origin,
        tabId,
        tabIndex: info.index,
        windowId: info.windowId ?? -1,
        frameId: tab.frameId,
        ...(tab.documentId ? { documentId: tab.documentId } : {}),
      });
    },

    async 'launch.prefetch'({ partnerId, fingerprint }, sender) {
      // Bound to what this tab last reported; the click re-reads the page anyway.
      const tab = await deps.reportedContext(sender.tabId);
      if (!tab?.context || contextFingerprint(tab.context) !== fingerprint || tab.frameId !== sender.frameId || tab.documentId !== sender.documentId) return {};
      const config = await deps.config();
      const who = await deps.clinicianState(config);
      const partner = config.partners.find((p) => p.id === partnerId);
      const connector = partner && deps.connectorFor(partner.kind);
      if (!partner || !connector || partner.prefetch !== 'hover') return {};
      const button = (await deps.barStateFor(config, who)).partners.find((p) => p.id === partnerId);
      const identity = deps.partnerClinician(who, partner, connector);
      if (button?.state !== 'ready' || !identity.ok) return {};
      const clinician = identity.profile;
      const binding = { tabId: sender.tabId, frameId: sender.frameId, ...(sender.documentId ? { documentId: sender.documentId } : {}), partnerId, fingerprint, clinician: clinician.username };
      deps.startPrefetch(binding, partner, connector, clinician, tab.context);
      return {};
    },
  };
}
