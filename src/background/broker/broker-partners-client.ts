import { z } from 'zod';
import { dpopProof, type DpopKey } from '../../shared/broker/dpop-proof';

/** A partner the launch broker says this clinician may launch (its GET /v1/partners). */
export interface ListedPartner {
  id: string;
  label: string;
  kind: string;
}

const listSchema = z
  .array(z.object({ id: z.string().min(1).max(64), label: z.string().min(1).max(100), kind: z.string().min(1).max(32) }))
  .max(50);

export interface BrokerPartnersInput {
  brokerUrl: string;
  accessToken: string;
  dpop: DpopKey;
  fetch: typeof fetch;
  signal: AbortSignal;
  now: () => number;
}

/**
 * GET /v1/partners, authenticated like a launch (the clinician's access token bound to this installation's key).
 * Throws on anything but a well-formed list: the caller treats that as "not known", never as "none".
 */
export async function fetchBrokerPartners(input: BrokerPartnersInput): Promise<ListedPartner[]> {
  const url = `${input.brokerUrl}/v1/partners`;
  const response = await input.fetch(url, {
    method: 'GET',
    headers: {
      authorization: `DPoP ${input.accessToken}`,
      dpop: await dpopProof(input.dpop, { method: 'GET', url, accessToken: input.accessToken, nowMs: input.now() }),
    },
    signal: input.signal,
    credentials: 'omit',
    cache: 'no-store',
  });
  if (!response.ok) throw new Error(`the broker answered ${response.status}`);
  // Only the three fields the extension uses are kept, whatever else the broker may add later.
  return listSchema.parse(await response.json()).map(({ id, label, kind }) => ({ id, label, kind }));
}
