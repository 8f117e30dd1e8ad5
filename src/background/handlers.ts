import { connectorFor } from '../connectors/registry';
import { clinicianProfileSchema } from '../shared/clinician';
import { describeConfigErrors, parseConfig } from '../shared/config';
import { LaunchError } from '../shared/launch-error';
import { barStateFor } from './bar-state';
import { syncContentScripts } from './content-scripts';
import { handoffs } from './handoffs';
import { listKeys, publicJwks, removeKey, rotateKey, signerFor } from './installation-keys';
import { launchFromTab } from './launch';
import { partnerSessions } from './partner-sessions';
import { signInToPartner } from './partner-sign-in';
import { signOut } from './sign-out';
import type { HandlerMap } from './router';
import { clinicianItem, configItem } from './settings';
import { tabContexts } from './tab-contexts';
import { vault } from './vault';

export const handlers: HandlerMap = {
  async 'context.report'({ context, problem }, sender) {
    // Replaced whole on every report: a new patient never inherits anything from the previous one.
    await tabContexts.set(sender.tabId, {
      url: sender.url,
      origin: sender.origin,
      frameId: sender.frameId,
      ...(sender.documentId ? { documentId: sender.documentId } : {}),
      context,
      ...(problem ? { problem } : {}),
      reportedAt: Date.now(),
    });
    return barStateFor(await configItem.get(), await clinicianItem.get());
  },

  'launch.request': ({ partnerId, fingerprint }, sender) => launchFromTab(partnerId, fingerprint, sender),

  async 'status.get'({ tabId }) {
    const [config, clinician] = await Promise.all([configItem.get(), clinicianItem.get()]);
    const tab = tabId === undefined ? undefined : await tabContexts.get(tabId);
    return {
      clinician,
      partners: (await barStateFor(config, clinician)).partners,
      ehrSites: config.ehrSites.map((site) => site.origin),
      tab: tab ? { url: tab.url, context: tab.context, problem: tab.problem ?? null } : null,
      signIns: await Promise.all(
        config.partners
          .filter((p) => connectorFor(p.kind)?.signInStep)
          .map(async (p) => ({ id: p.id, label: p.label, signedIn: (await partnerSessions.get(p.id)) !== undefined })),
      ),
      sandboxBuild: __SANDBOX_BUILD__,
    };
  },

  async 'config.get'() {
    const config = await configItem.get();
    const status = await vault.secretStatus();
    return { config, secretsSet: status.set, secretsByPolicy: status.byPolicy, policyProblems: status.problems };
  },

  async 'config.import'({ config: input }) {
    const result = parseConfig(input);
    if (!result.ok) return { ok: false, errors: result.errors };
    await configItem.set(result.config);
    await syncContentScripts(result.config);
    return { ok: true, errors: [] };
  },

  async 'secret.set'({ partnerId, name, value }) {
    const partner = (await configItem.get()).partners.find((p) => p.id === partnerId);
    const connector = partner && connectorFor(partner.kind);
    if (!partner || !connector) throw new LaunchError('unknown-partner', `There is no partner "${partnerId}" in the configuration.`);
    if (!connector.secretNames.includes(name)) {
      throw new LaunchError('unknown-secret', `${partner.label} has no secret called "${name}". It takes: ${connector.secretNames.join(', ')}.`);
    }
    await vault.setSecret(partnerId, name, value);
    return { ok: true };
  },

  async 'clinician.get'() {
    return { profile: await clinicianItem.get() };
  },

  async 'clinician.set'({ profile }) {
    const parsed = clinicianProfileSchema.safeParse(profile);
    if (!parsed.success) return { ok: false, errors: describeConfigErrors(parsed.error) };
    await clinicianItem.set(parsed.data);
    return { ok: true, errors: [] };
  },

  'handoff.take': ({ id }, sender) => handoffs.take(id, sender),

  'session.signOut': () => signOut(),

  'partner.signIn': ({ partnerId }) => signInToPartner(partnerId),

  async 'keys.get'() {
    const config = await configItem.get();
    // Make the keys the configured partners will use, so the JWKS is ready to enrol before the first launch.
    for (const partner of config.partners) {
      const connector = connectorFor(partner.kind);
      if (connector?.signingAlg) await signerFor(connector.signingAlg(partner as never));
    }
    return { jwks: await publicJwks(), keys: await listKeys() };
  },

  async 'keys.rotate'({ alg }) {
    return rotateKey(alg);
  },

  async 'keys.remove'({ kid }) {
    await removeKey(kid);
    return { ok: true };
  },
};

