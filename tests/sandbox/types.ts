import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

/**
 * Every simulated origin, in the order the CLI assigns fixed ports (base, base+1, ...).
 * Adding a server: add its name here and its factory in server.ts.
 */
export const SERVER_NAMES = ['ehr', 'parchment-api', 'parchment-portal', 'phpkb', 'black-pear', 'nhs-login', 'nhs-login-rp2', 'pkb', 'ehr-banner', 'org-idp'] as const;
export type ServerName = (typeof SERVER_NAMES)[number];

/** A fully read request: handlers never touch the socket, so faults and recording stay in one place. */
export interface SandboxRequest {
  readonly method: string;
  readonly url: URL;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly cookies: Readonly<Record<string, string>>;
  /** The TCP peer's address (socket.remoteAddress), never a forwarding header. */
  readonly remoteAddress: string;
}

/** A complete response; the pipeline writes it (or truncates it when a fault says so). */
export interface SandboxReply {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
}

/** Runtime settings of one server, changed through /__sandbox/settings. */
export interface SettingsApi {
  get(): unknown;
  /** Shallow merge; throws SettingsError when the patch is not acceptable. */
  merge(patch: unknown): void;
  /** Back to defaults, and forget one-time state (used tokens, sessions, created users). */
  reset(): void;
}

export interface SandboxModule {
  readonly name: ServerName;
  handle(req: SandboxRequest): SandboxReply | Promise<SandboxReply>;
  /** The server's own error format, used for injected faults and unexpected exceptions. */
  errorReply(status: number, message: string): SandboxReply;
  readonly settings: SettingsApi;
  /**
   * Optional pass-through for modules that host a Node (req, res) framework (oidc-provider's Koa app).
   * When present it replaces `handle` for ordinary requests, after the control API, latency and status
   * faults. The body has already been read: it is on `req.body` and on `raw.body` (oidc-provider uses it).
   * The pipeline still records the request and the status written, and emulates `truncate` on `res.end`.
   */
  handleRaw?(req: SandboxRequest, raw: IncomingMessage & { body?: string }, res: ServerResponse): Promise<void>;
}

/** Lets a module build absolute URLs to its peers (ports are only known after listen). */
export interface SandboxLinks {
  urlOf(name: ServerName): string;
}

export type ModuleFactory = (links: SandboxLinks) => readonly SandboxModule[];
