import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBlackPear } from './black-pear';
import { createDemoEhr, createEhrBannerService } from './demo-ehr';
import { readFaultEnvironment } from './faults';
import { createParchment } from './parchment';
import { createPhpkb } from './phpkb';
import { createNhsLogin } from './nhs-login';
import { createNhsLoginRp2 } from './nhs-login-rp2';
import { createOrgIdp } from './org-idp';
import { createListener } from './pipeline';
import { createPkb } from './pkb';
import { createRuntime } from './runtime';
import { SERVER_NAMES } from './types';
import type { ModuleFactory, SandboxModule, ServerName } from './types';

export type { ServerName } from './types';
export { SERVER_NAMES } from './types';

/** One entry per simulator module; a module may serve several origins (Parchment API + portal). */
const FACTORIES: readonly ModuleFactory[] = [(links) => [createDemoEhr(links)], (links) => createParchment(links), () => [createPhpkb()], (links) => [createBlackPear(links)], (links) => [createNhsLogin(links)], (links) => [createNhsLoginRp2(links)], (links) => [createPkb(links)], () => [createEhrBannerService()], (links) => [createOrgIdp(links)]];

/** The sandbox always binds to loopback: it holds fake secrets and must not be reachable from the network. */
const HOST = '127.0.0.1';

export interface SandboxOptions {
  /** Accepted for clarity but always 127.0.0.1. */
  host?: string;
  /** Port per server; 0 or absent picks a free port. */
  ports?: Partial<Record<ServerName, number>>;
  /** Suppress the per-request log lines. */
  quiet?: boolean;
}

export interface Sandbox {
  urls: Record<ServerName, string>;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, HOST, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    // Idle keep-alive sockets would otherwise hold close() open for seconds.
    server.closeAllConnections();
  });
}

function instantiateModules(urls: Partial<Record<ServerName, string>>): Map<ServerName, SandboxModule> {
  const links = {
    urlOf(name: ServerName): string {
      const url = urls[name];
      if (!url) throw new Error(`sandbox server ${name} is not listening`);
      return url;
    },
  };
  const modules = new Map<ServerName, SandboxModule>();
  for (const module of FACTORIES.flatMap((factory) => factory(links))) {
    if (modules.has(module.name)) throw new Error(`two modules claim the server name ${module.name}`);
    modules.set(module.name, module);
  }
  const missing = SERVER_NAMES.filter((name) => !modules.has(name));
  if (missing.length > 0) throw new Error(`no module for: ${missing.join(', ')}`);
  return modules;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  if (opts.host !== undefined && opts.host !== HOST) throw new Error(`the sandbox only listens on ${HOST}`);
  const environment = readFaultEnvironment(process.env);
  const urls: Partial<Record<ServerName, string>> = {};
  const modules = instantiateModules(urls);
  const servers: Server[] = [];

  try {
    for (const name of SERVER_NAMES) {
      const module = modules.get(name);
      if (!module) throw new Error(`no module for ${name}`);
      const runtime = createRuntime(module, { latencyMs: environment.latencyMs, rules: environment.rules[name] ?? [] }, opts.quiet ?? false);
      // Idle connections are kept well past any pause between a test's calls. With 5 s, a client reusing a
      // connection just as the server's timer closed it failed with "other side closed" on a busy machine
      // (timers late under a CPU hog). close() ends idle connections itself.
      const server = createServer({ keepAliveTimeout: 65_000 }, createListener(runtime, () => urls[name] ?? ''));
      servers.push(server);
      const requested = opts.ports?.[name] ?? 0;
      const port = await listen(server, requested).catch((error: unknown) => {
        throw new Error(`cannot start ${name} on ${HOST}:${requested}: ${error instanceof Error ? error.message : String(error)}`);
      });
      urls[name] = `http://${HOST}:${port}`;
    }
  } catch (error) {
    await Promise.all(servers.map(closeServer));
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    urls: urls as Record<ServerName, string>,
    close() {
      closing ??= Promise.all(servers.map(closeServer)).then(() => undefined);
      return closing;
    },
  };
}
