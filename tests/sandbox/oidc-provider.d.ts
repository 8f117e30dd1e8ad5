/** The small part of oidc-provider 8 the sandbox uses (the package ships no type declarations). */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export type AdapterPayload = Record<string, unknown> & { uid?: string; grantId?: string; userCode?: string; consumed?: number };

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface Session {
    uid: string;
    accountId?: string;
    loginTs?: number;
    amr?: string[];
    loginAccount(details: { accountId: string; loginTs?: number; amr?: string[]; acr?: string; transient?: boolean }): void;
    grantIdFor(clientId: string): string | undefined;
  }

  export interface Grant {
    jti?: string;
    accountId?: string;
    clientId?: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    save(): Promise<string>;
  }

  export interface Client {
    clientId: string;
  }

  export interface KoaContextWithOIDC {
    oidc: {
      route: string;
      params: Record<string, unknown>;
      session: Session;
      client?: Client;
      account?: { accountId: string };
      requestParamOIDCScopes: Set<string>;
      promptPending(name: string): boolean;
      /** The result of the interaction being resumed, custom members included. */
      result?: Record<string, unknown>;
    };
  }

  export interface InteractionDetails {
    uid: string;
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    params: Record<string, unknown>;
    session?: { accountId?: string };
    grantId?: string;
  }

  /** The token handed to findAccount at the token endpoint (an AuthorizationCode or RefreshToken). */
  export interface AccountToken {
    kind?: string;
    clientId?: string;
    sessionUid?: string;
    sid?: string;
  }

  /** An opaque access token as stored by oidc-provider (found by its value). */
  export interface AccessTokenEntity {
    accountId: string;
    clientId: string;
    grantId?: string;
    scope?: string;
    readonly isExpired: boolean;
  }

  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    readonly issuer: string;
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    readonly Session: { findByUid(uid: string): Promise<Session | undefined> };
    readonly Grant: {
      new (properties: { accountId: string; clientId: string }): Grant;
      find(id: string): Promise<Grant | undefined>;
    };
    readonly AccessToken: { find(value: string, options?: { ignoreExpiration?: boolean }): Promise<AccessTokenEntity | undefined> };
    on(event: string, listener: (...args: unknown[]) => void): this;
  }

  /** Prompts and checks that decide when the user must see an interaction. */
  export namespace interactionPolicy {
    class Check {
      constructor(reason: string, description: string, error: string, check: (ctx: KoaContextWithOIDC) => boolean | Promise<boolean>);
    }
    class Prompt {
      constructor(options: { name: string; requestable?: boolean }, ...checks: Check[]);
      readonly name: string;
      readonly checks: Check[] & { add(check: Check, index?: number): void };
    }
    interface Policy extends Array<Prompt> {
      get(name: string): Prompt | undefined;
      add(prompt: Prompt, index?: number): void;
    }
    function base(): Policy;
  }

  type OidcErrorClass = new (description?: string, detail?: string) => Error;
  export const errors: {
    InvalidRequest: OidcErrorClass;
    LoginRequired: OidcErrorClass;
  };

  export default Provider;
}
