import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { AdapterStore } from './nhs-login-adapter';

/** What `org-idp` remembers beside oidc-provider's own storage; all of it is forgotten on a settings reset. */

/** The parameters of an authorization request that tests may look at (no state, nonce or code_challenge). */
export interface AuthorizationSeen {
  at: string;
  method: string;
  client_id: string | null;
  response_type: string | null;
  redirect_uri: string | null;
  scope: string | null;
  prompt: string | null;
  acr_values: string | null;
  login_hint: string | null;
  max_age: string | null;
  code_challenge_method: string | null;
  has_code_challenge: boolean;
  has_nonce: boolean;
  has_state: boolean;
}

export class OrgIdpState {
  /** oidc-provider session uid -> the person_roleid chosen on the role page (CIS2 keeps it per session). */
  readonly roleBySession = new Map<string, string>();
  /** Interaction uid -> account that passed the password step and still has to choose a role. */
  readonly awaitingRole = new Map<string, string>();
  /** Ids of every Session record written, so all sessions can be ended at once. */
  readonly sessionIds = new Set<string>();
  lastAuthorization: AuthorizationSeen | undefined;

  clear(): void {
    this.roleBySession.clear();
    this.awaitingRole.clear();
    this.sessionIds.clear();
    this.lastAuthorization = undefined;
  }

  recordAuthorization(method: string, params: URLSearchParams): void {
    const value = (name: string) => params.get(name);
    this.lastAuthorization = {
      at: new Date().toISOString(),
      method,
      client_id: value('client_id'),
      response_type: value('response_type'),
      redirect_uri: value('redirect_uri'),
      scope: value('scope'),
      prompt: value('prompt'),
      acr_values: value('acr_values'),
      login_hint: value('login_hint'),
      max_age: value('max_age'),
      code_challenge_method: value('code_challenge_method'),
      has_code_challenge: params.has('code_challenge'),
      has_nonce: params.has('nonce'),
      has_state: params.has('state'),
    };
  }
}

/**
 * The shared adapter store, with the ids of Session records noted as they are written: the store itself cannot
 * list them, and ending every session is a sandbox operation (`POST /_sandbox/end-sessions`).
 */
export function sessionTrackingAdapter(store: AdapterStore, state: OrgIdpState): new (model: string) => Adapter {
  const Base = store.factory();
  return class extends Base {
    readonly #model: string;

    constructor(model: string) {
      super(model);
      this.#model = model;
    }

    override async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      if (this.#model === 'Session') state.sessionIds.add(id);
      await super.upsert(id, payload, expiresIn);
    }
  };
}

/** Destroys every live session; returns how many there were. */
export async function endAllSessions(adapter: new (model: string) => Adapter, state: OrgIdpState): Promise<number> {
  const sessions = new adapter('Session');
  let ended = 0;
  for (const id of state.sessionIds) {
    // Ids a session has rotated away from are gone already (oidc-provider renews the id at each sign-in).
    if (await sessions.find(id)) ended += 1;
    await sessions.destroy(id);
  }
  state.sessionIds.clear();
  state.roleBySession.clear();
  return ended;
}
