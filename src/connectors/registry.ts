import type { Connector } from './connector';
import { blackPearConnector } from './black-pear';
import { nhsLoginConnector } from './nhs-login';
import { parchmentConnector } from './parchment';
import { phpkbConnector } from './phpkb';
import { patientsKnowBestConnector } from './patients-know-best';

/** Every partner protocol the extension speaks, by the `kind` a partner target names. */
export const connectors = {
  'black-pear': blackPearConnector,
  'nhs-login': nhsLoginConnector,
  parchment: parchmentConnector,
  phpkb: phpkbConnector,
  pkb: patientsKnowBestConnector,
} as const;

export type ConnectorKind = keyof typeof connectors;

export function connectorFor(kind: string): Connector<unknown> | undefined {
  return Object.hasOwn(connectors, kind) ? (connectors[kind as ConnectorKind] as unknown as Connector<unknown>) : undefined;
}
