import { browser } from '../../shared/browser-api';
import { connectorFor } from '../../connectors/registry';
import { clinicianProfileSchema } from '../../shared/clinician';
import { describeConfigErrors, parseConfig, type Config } from '../../shared/config';
import { brokerStatus } from '../broker/broker-partners';
import { LaunchError } from '../../shared/launch-error';
import { contextFingerprint } from '../../shared/patient';
import { afterReport } from '../prefetch/after-report';
import { auditForwarder, auditSource, forwardingEndpoint, readAudit } from '../audit/audit';
import { barStateFor } from '../page/bar-state';
import { syncContentScripts } from '../settings/content-scripts';
import { frameReadings, relayFrameReadings } from '../page/frame-readings';
import { handoffs } from '../launch/handoff-store';
import { listKeys, publicJwks, removeKey, rotateKey } from '../vault/installation-keys';
import { launchFromTab } from '../launch/launch';
import { launchHandlers } from '../launch/launch-handlers';
import { launchRefusals } from '../launch/launch-refusals';
import { barPrefs } from '../page/bar-prefs';
import { recordAudit } from '../audit/audit';
import { pairingStates, pairWithPartner, unpairPartner } from '../pairing/pairings';
import { prefetches, startPrefetch } from '../prefetch/prefetches';
import { pickingState, readWithDraft, receivePicks, startPicking } from '../page/profile-builder';
import { partnerSessions } from '../pairing/partner-sessions';
import { closeFromPopup, ehrReported, stripAction, stripFor, stripTampered } from '../partner-tabs/follow-ehr';
import { partnerTabs } from '../partner-tabs/registry';
import { signInToPartner } from '../pairing/partner-sign-in';
import { signOut } from '../identity/sign-out';
import { siteProfile } from '../../shared/site-profile';
import { takeStagedConfig } from '../settings/staged-config';
import type { HandlerMap } from './router';
import { diagnostics } from '../health/diagnostics';
import { acknowledgeEnrolment, ensureInstallationKeys, setupStatus } from '../health/setup-status';
import { healthIssues, scheduleBadgeUpdate } from '../health/health';
import { clinicianItem, configItem, effectiveState, saveUserConfig } from '../settings/settings';
import { clinicianState, partnerClinician, verifiedProfileFields, type ClinicianState } from '../identity/clinician-source';
import { signInClinician } from '../identity/sign-in';
import { withClinicianDefaults } from '../../shared/clinician-defaults';
import { tabContexts } from '../page/tab-contexts';
import { openMenu } from '../page/open-menu';
import { vault } from '../vault/vault';

async function pairingList(config: Config, clinician: string | null) {
  const states = await pairingStates(config.partners, clinician);
  return config.partners.filter((p) => states[p.id]).map((p) => ({ id: p.id, label: p.label, state: states[p.id]! }));
}

/** What the popup shows about the organisation's sign-in: never a token. */
function identityStatus(who: ClinicianState, config: Config) {
  return {
    provider: who.provider ? { label: who.provider.label, preset: who.provider.preset } : null,
    required: who.settings.required,
    identity: who.identity,
    lockedFields: verifiedProfileFields(who, config),
  };
}

export const handlers: HandlerMap = {
  ...launchHandlers({
    launchFromTab,
    config: () => configItem.get(),
    clinicianState,
    partnerClinician,
    connectorFor,
    barStateFor,
    reportedContext: (tabId) => tabContexts.get(tabId),
    getTab: (tabId) => browser.tabs.get(tabId),
    recordRefusal: (tabId, refusal) => launchRefusals.record(tabId, refusal),
    clearRefusal: (tabId) => launchRefusals.clear(tabId),
    recordAudit,
    startPrefetch,
    message: (key) => browser.i18n.getMessage(key),
  }),

  async 'context.report'({ context, problem, reason }, sender) {
    // Replaced whole on every report: a new patient never inherits anything from the previous one.
    await tabContexts.set(sender.tabId, {
      url: sender.url,
      origin: sender.origin,
      frameId: sender.frameId,
      ...(sender.documentId ? { documentId: sender.documentId } : {}),
      context,
      ...(problem ? { problem } : {}),
      ...(reason && !context ? { reason } : {}),
      reportedAt: Date.now(),
    });
    // Anything fetched for another patient or document of this tab can no longer be used.
    prefetches.dropTab(sender.tabId, context ? contextFingerprint(context) : undefined, sender.documentId);
    // Partner tabs opened from this tab for another patient are marked, closed or relaunched (not awaited: the bar comes first).
    void ehrReported(sender.tabId).catch(() => undefined);
    const [config, minimised] = await Promise.all([configItem.get(), barPrefs.minimised(sender.origin), launchRefusals.afterReport(sender.tabId, context ? contextFingerprint(context) : null)]);
    const who = await clinicianState(config);
    const state = await barStateFor(config, who, context);
    if (context && who.profile) afterReport(config, who, context, sender, state);
    return { ...state, minimised };
  },

  async 'bar.minimise'({ minimised }, sender) {
    await barPrefs.setMinimised(sender.origin, minimised);
    return {};
  },

  async 'profile.get'(_payload, sender) {
    const profile = siteProfile(await configItem.get(), sender.origin);
    // A new page in this tab: banner frames of the previous one that can no longer answer are forgotten, and
    // the page gets the readings of those that can.
    if (profile?.frameOrigins?.length) void frameReadings.fresh(sender.tabId).then((readings) => relayFrameReadings(sender.tabId, readings), () => undefined);
    return profile;
  },

  'strip.get': (_payload, sender) => stripFor(sender.tabId),

  async 'strip.act'({ action, fingerprint }, sender) {
    await stripAction(sender.tabId, action, fingerprint);
    return {};
  },

  async 'strip.tampered'({ what }, sender) {
    await stripTampered(sender.tabId, what);
    return {};
  },

  async 'partnerTabs.list'({ tabId }) {
    return (await partnerTabs.fromEhrTab(tabId)).map((record) => ({
      tabId: record.tabId,
      partnerLabel: record.partnerLabel,
      patient: { name: record.patient.name, nhsNumber: record.patient.nhsNumber },
      state: record.state,
    }));
  },

  async 'partnerTabs.focus'({ tabId }) {
    if (!(await partnerTabs.get(tabId))) return {};
    const tab = await browser.tabs.update(tabId, { active: true });
    if (tab?.windowId !== undefined) await browser.windows.update(tab.windowId, { focused: true }).catch(() => undefined);
    return {};
  },

  async 'partnerTabs.close'({ tabId }) {
    await closeFromPopup(tabId);
    return {};
  },

  async 'frame.profile'(_payload, sender) {
    return siteProfile(await configItem.get(), sender.topOrigin);
  },

  async 'frame.report'({ reading }, sender) {
    await relayFrameReadings(sender.tabId, await frameReadings.report(sender, reading));
    return {};
  },

  async 'status.get'({ tabId }) {
    const config = await configItem.get();
    const who = await clinicianState(config);
    const clinician = who.profile;
    const [tab, refusal] = tabId === undefined ? [] : await Promise.all([tabContexts.get(tabId), launchRefusals.get(tabId)]);
    return {
      clinician,
      identity: identityStatus(who, config),
      partners: (await barStateFor(config, who)).partners,
      ehrSites: config.ehrSites.map((site) => site.origin),
      tab: tab ? { url: tab.url, context: tab.context, problem: tab.problem ?? null, reason: tab.reason ?? null } : null,
      refusal: refusal ? { partnerLabel: refusal.partnerLabel, message: refusal.message, at: refusal.at } : null,
      signIns: await Promise.all(
        config.partners
          .filter((p) => connectorFor(p.kind)?.signInStep)
          .map(async (p) => ({ id: p.id, label: p.label, signedIn: (await partnerSessions.get(p.id)) !== undefined })),
      ),
      pairings: await pairingList(config, clinician?.username ?? null),
      broker: await brokerStatus(config),
      sandboxBuild: __SANDBOX_BUILD__,
    };
  },

  async 'config.get'() {
    const [state, status] = await Promise.all([effectiveState({ fresh: true }), vault.secretStatus()]);
    return {
      config: state.config,
      user: state.user,
      locked: state.locked,
      fromPolicy: state.fromPolicy,
      policyPresent: state.policyPresent,
      secretsSet: status.set,
      secretsByPolicy: status.byPolicy,
      policyProblems: [...status.problems, ...state.problems],
    };
  },

  async 'config.import'(payload) {
    const input = 'staged' in payload ? await takeStagedConfig(browser.storage.session, payload.staged) : { ok: true as const, document: payload.config };
    if (!input.ok) return { ok: false, errors: input.errors };
    const result = parseConfig(input.document);
    if (!result.ok) return { ok: false, errors: result.errors };
    await saveUserConfig(result.config);
    await syncContentScripts(await configItem.get());
    return { ok: true, errors: [] };
  },

  async 'secret.set'({ partnerId, name, value }) {
    const partner = (await configItem.get()).partners.find((p) => p.id === partnerId);
    const connector = partner && connectorFor(partner.kind);
    if (!partner || !connector) throw new LaunchError('unknown-partner', `There is no partner "${partnerId}" in the configuration.`, ['adminUnknownPartner', partnerId]);
    if (!connector.secretNames.includes(name)) {
      throw new LaunchError('unknown-secret', `${partner.label} has no secret called "${name}". It takes: ${connector.secretNames.join(', ')}.`, ['adminUnknownSecret', partner.label, name, connector.secretNames.join(', ')]);
    }
    await vault.setSecret(partnerId, name, value);
    return { ok: true };
  },

  async 'clinician.get'() {
    const state = await effectiveState({ fresh: true });
    const who = await clinicianState(state.config);
    return { profile: who.profile, identity: identityStatus(who, state.config), defaults: state.config.clinicianDefaults, defaultsLocked: state.locked.includes('clinicianDefaults') };
  },

  async 'clinician.set'({ profile }) {
    const state = await effectiveState();
    const who = await clinicianState(state.config);
    // Fields the sign-in verified are the sign-in's: whatever the form sent for them is replaced, not stored.
    const verified = verifiedProfileFields(who, state.config);
    const input = verified.length > 0 && typeof profile === 'object' && profile !== null ? { ...profile, ...Object.fromEntries(verified.map((field) => [field, who.profile?.[field]])) } : profile;
    const parsed = clinicianProfileSchema.safeParse(withClinicianDefaults(input, state.config.clinicianDefaults, state.locked.includes('clinicianDefaults')));
    if (!parsed.success) return { ok: false, errors: describeConfigErrors(parsed.error) };
    await clinicianItem.set(parsed.data);
    return { ok: true, errors: [] };
  },

  'identity.signIn': ({ switchRole }) => signInClinician({ switchRole: switchRole === true }),

  async 'identity.signInFromBar'() {
    // The sign-in window is the provider's own; the bar learns the outcome from its next state.
    void signInClinician().catch(() => undefined);
    return {};
  },

  'bar.openMenu': (_payload, sender) => openMenu(sender.windowId),

  'handoff.take': ({ id }, sender) => handoffs.take(id, sender),

  'picker.start': ({ tabId }, sender) => startPicking(tabId, sender),

  'picker.status': ({ tabId }) => pickingState(tabId),

  'picker.read': ({ tabId, profile }) => readWithDraft(tabId, profile),

  'picker.result': ({ outcome, picks }, sender) => receivePicks(outcome, picks, sender),

  async 'health.get'() {
    return { issues: await healthIssues() };
  },

  'diagnostics.get': () => diagnostics(),

  async 'setup.get'() {
    // What a partner must enrol is only known once its key exists: make it, as the keys section does.
    await ensureInstallationKeys(await configItem.get());
    return { steps: await setupStatus() };
  },

  async 'setup.acknowledge'({ acknowledgement, sent }) {
    await acknowledgeEnrolment(acknowledgement, sent);
    return { ok: true };
  },

  async 'audit.list'() {
    const [page, forwarding, endpoint] = await Promise.all([readAudit(), auditForwarder.status(), forwardingEndpoint()]);
    return { ...page, source: auditSource(), forwarding: { ...forwarding, endpoint } };
  },

  'session.signOut': () => signOut(),

  'partner.signIn': ({ partnerId }) => signInToPartner(partnerId),

  'partner.pair': ({ partnerId }) => pairWithPartner(partnerId),

  async 'partner.unpair'({ partnerId }) {
    prefetches.dropPartner(partnerId);
    return unpairPartner(partnerId);
  },

  async 'keys.get'() {
    // The keys the partners, the organisation's provider (private_key_jwt) and the broker (DPoP) will use, made
    // now so the JWKS is ready to enrol before the first launch.
    await ensureInstallationKeys(await configItem.get());
    // A key just made can clear the badge's "no signing key" warning.
    scheduleBadgeUpdate();
    return { jwks: await publicJwks(), keys: await listKeys() };
  },

  async 'keys.rotate'({ alg }) {
    const rotated = await rotateKey(alg);
    scheduleBadgeUpdate();
    return rotated;
  },

  async 'keys.remove'({ kid }) {
    await removeKey(kid);
    scheduleBadgeUpdate();
    return { ok: true };
  },
};

