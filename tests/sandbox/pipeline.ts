import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTROL_PREFIX, handleControl } from './control';
import { injectedReply } from './faults';
import { parseCookies, readBody, sleep, writeReply } from './http-kit';
import { queryRecord, selectHeaders } from './request-log';
import type { ServerRuntime } from './runtime';
import type { SandboxReply, SandboxRequest } from './types';

function toSandboxRequest(req: IncomingMessage, origin: string, body: string): SandboxRequest {
  const url = new URL(req.url ?? '/', origin);
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    url,
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body,
    cookies: parseCookies(req.headers.cookie),
    remoteAddress: req.socket.remoteAddress ?? '',
  };
}

async function callHandler(runtime: ServerRuntime, req: SandboxRequest): Promise<SandboxReply> {
  try {
    return await runtime.module.handle(req);
  } catch (error) {
    // A crash in a simulator must still produce an answer in the server's own format.
    console.error(`[${runtime.module.name}] handler error`, error);
    return runtime.module.errorReply(500, 'Internal server error');
  }
}

/** The node:http listener for one server: control API, then faults and latency, then the module. */
export function createListener(runtime: ServerRuntime, origin: () => string) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    void serve(runtime, origin(), req, res).catch((error: unknown) => {
      console.error(`[${runtime.module.name}] pipeline error`, error);
      if (!res.headersSent) writeReply(res, runtime.module.errorReply(500, 'Internal server error'));
      else res.destroy();
    });
  };
}

async function serve(runtime: ServerRuntime, origin: string, raw: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = Date.now();
  const body = await readBody(raw);
  const req = toSandboxRequest(raw, origin, body ?? '');

  if (req.path.startsWith(CONTROL_PREFIX)) {
    writeReply(res, handleControl(runtime, req));
    return;
  }

  const rule = runtime.faults.take(req.method, req.path);
  const effects: string[] = [];
  const delay = runtime.latencyMs + (rule?.delayMs ?? 0);
  if (rule?.delayMs !== undefined) effects.push('delay');
  if (delay > 0) await sleep(delay);

  let reply: SandboxReply;
  if (rule?.status !== undefined) {
    effects.push('status');
    reply = injectedReply({ ...rule, status: rule.status }, runtime.module);
  } else if (body === null) {
    reply = runtime.module.errorReply(413, 'Request body too large');
  } else {
    reply = await callHandler(runtime, req);
  }
  const truncate = rule?.truncate === true;
  if (truncate) effects.push('truncate');

  writeReply(res, reply, truncate);

  const durationMs = Date.now() - started;
  runtime.log.record({
    time: new Date(started).toISOString(),
    method: req.method,
    path: req.path,
    query: queryRecord(req.query),
    headers: selectHeaders(req.headers),
    body: req.body,
    status: reply.status,
    durationMs,
    ...(effects.length > 0 ? { fault: effects.join(',') } : {}),
  });
  if (!runtime.quiet) {
    const fault = effects.length > 0 ? ` [fault: ${effects.join(',')}]` : '';
    console.log(`[${runtime.module.name}] ${req.method} ${req.url.pathname}${req.url.search} -> ${reply.status} ${durationMs}ms${fault}`);
  }
}
