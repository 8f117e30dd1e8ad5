import { connectorFor } from '../connectors/registry';
import type { Config } from './config';
import { bannerFrameOrigins } from './site-profile';

/**
 * Firefox accepts a match pattern that names a port and then never matches it (Mozilla bugs 1362809, 1468162), so
 * its build names the host alone. Its content script then also starts on the host's other ports, where it stays
 * idle: the background answers only the configured origin exactly (messages/sender.ts).
 */
const PATTERNS_BY_HOST = typeof __FIREFOX_BUILD__ !== 'undefined' && __FIREFOX_BUILD__;

/** `https://ehr.example.org:8443` as the match pattern `https://ehr.example.org:8443/*` (by host in Firefox). */
export function matchPatternFor(origin: string): string {
  return PATTERNS_BY_HOST ? hostMatchPatternFor(origin) : `${new URL(origin).origin}/*`;
}

/** `https://ehr.example.org:8443` as `https://ehr.example.org/*`: the pattern Firefox can match. */
export function hostMatchPatternFor(origin: string): string {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}

/**
 * The host permissions a configuration needs: its EHR sites (for the content script), the partner
 * origins the background calls and the partner origins launches open (for the partner tabs that follow the EHR). Requested at run time, so the extension holds no more than the trust uses.
 */
export function hostPatternsFor(config: Pick<Config, 'ehrSites' | 'partners'> & Partial<Pick<Config, 'auditForwarding' | 'profiles' | 'identity' | 'broker'>>): string[] {
  const forwarding = config.auditForwarding;
  const origins = [
    ...config.ehrSites.map((site) => site.origin),
    // Banner frames the sites' profiles name: their reader needs access to read them.
    ...bannerFrameOrigins({ ehrSites: config.ehrSites, profiles: config.profiles ?? [] }),
    ...config.partners.flatMap((partner) => connectorFor(partner.kind)?.apiOrigins(partner as never) ?? []),
    // The tabs a launch opens: to see where a partner tab is (still on the partner, for whom) and to place the
    // strip over it, or close or relaunch it, once the EHR moves on. Not needed when the setting is `none`.
    ...config.partners.flatMap((partner) => {
      const connector = connectorFor(partner.kind);
      return partner.staleTab === 'none' || connector?.patientSpecific === false ? [] : [...(connector?.launchOrigins(partner as never) ?? []), ...(partner.tabOrigins ?? [])];
    }),
    // The organisation's identity provider: discovery, token, userinfo and keys (on the issuer's origin).
    ...(config.identity?.provider ? [new URL(config.identity.provider.issuer).origin] : []),
    // The organisation's launch broker, called by the background for partners that go through it.
    ...(config.broker ? [new URL(config.broker.url).origin] : []),
    // The audit endpoint is called from the background, like a partner API.
    ...(forwarding?.enabled && forwarding.endpoint ? [new URL(forwarding.endpoint).origin] : []),
  ];
  return [...new Set(origins.map(matchPatternFor))];
}
