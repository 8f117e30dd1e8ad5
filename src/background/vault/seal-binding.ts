import { connectorFor } from '../../connectors/registry';
import type { PartnerConfig } from '../../shared/config';

/**
 * What a sealed partner secret or refresh token is bound to besides its slot: the partner's kind and every
 * origin it is sent to or used at (the API it is posted to, the addresses a launch opens). A configuration
 * changed to point a partner somewhere else (by an administrator, or by anything that got write access to
 * storage) then cannot unseal it: the secret is never sent to the new address, and has to be entered again.
 */
export function sealBinding(partner: Pick<PartnerConfig, 'kind'> & Record<string, unknown>): string {
  const connector = connectorFor(partner.kind);
  if (!connector) return `kind=${partner.kind};origins=`;
  let origins: string[];
  try {
    origins = [...connector.apiOrigins(partner as never), ...connector.launchOrigins(partner as never)].map((origin) => new URL(origin).origin);
  } catch {
    // An address that does not parse binds to nothing usable: what was sealed for it will not open.
    return `kind=${partner.kind};origins=?`;
  }
  return `kind=${partner.kind};origins=${[...new Set(origins)].sort().join(' ')}`;
}

/** The additional data a sealed value is bound to: its slot, and (for values sealed since binding) the partner's binding. */
export function sealContext(slot: string, binding: string | undefined): string {
  return binding === undefined ? slot : `${slot}|${binding}`;
}
