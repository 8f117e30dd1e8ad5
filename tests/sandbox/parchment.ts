import { createParchmentApi } from './parchment-api';
import { createParchmentPortal } from './parchment-portal';
import { createParchmentState } from './parchment-state';
import type { SandboxLinks, SandboxModule } from './types';

/**
 * Parchment runs as two servers on two origins, like api.parchmenthealth.io and
 * portal.parchment.health: the API issues SSO tokens, the portal redeems them. They share
 * tokens, sessions and settings, so resetting settings on either clears both.
 */
export function createParchment(links: SandboxLinks): readonly SandboxModule[] {
  const state = createParchmentState();
  return [createParchmentApi(state, links), createParchmentPortal(state)];
}
