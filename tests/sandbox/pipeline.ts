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

  const truncate = rule?.truncate === true;

  let reply: SandboxReply;
  if (rule?.status === undefined && body !== null && runtime.module.handleRaw) {
    if (truncate) effects.push('truncate');
    const status = await callRawHandler(runtime, req, raw, res, truncate);
    finish(runtime, req, status, started, effects);
    return;
  }
  if (rule?.status !== undefined) {
    effects.push('status');
    reply = injectedReply({ ...rule, status: rule.status }, runtime.module);
  } else if (body === null) {
    reply = runtime.module.errorReply(413, 'Request body too large');
  } else {
    reply = await callHandler(runtime, req);
  }
  if (truncate) effects.push('truncate');
  writeReply(res, reply, truncate);
  finish(runtime, req, reply.status, started, effects);
}

/** Runs a module's pass-through handler and resolves with the status it wrote once the response is done. */
async function callRawHandler(runtime: ServerRuntime, req: SandboxRequest, raw: IncomingMessage, res: ServerResponse, truncate: boolean): Promise<number> {
  (raw as IncomingMessage & { body?: string }).body = req.body;
  if (truncate) truncateOnEnd(res);
  const done = new Promise<void>((resolve) => {
    res.once('close', resolve);
    res.once('finish', resolve);
  });
  try {
    await runtime.module.handleRaw?.(req, raw, res);
  } catch (error) {
    console.error(`[${runtime.module.name}] handler error`, error);
    if (!res.headersSent) writeReply(res, runtime.module.errorReply(500, 'Internal server error'));
    else res.destroy();
  }
  if (!res.writableFinished && !res.destroyed) await done;
  return res.statusCode;
}

/** `truncate` for pass-through handlers: the first end(body) sends half the body, then drops the socket. */
function truncateOnEnd(res: ServerResponse): void {
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) {
      const body = Buffer.from(chunk);
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
      return res;
    }
    return end(chunk, ...rest);
  }) as ServerResponse['end'];
}

function finish(runtime: ServerRuntime, req: SandboxRequest, status: number, started: number, effects: string[]): void {
  const durationMs = Date.now() - started;
  runtime.log.record({
    time: new Date(started).toISOString(),
    method: req.method,
    path: req.path,
    query: queryRecord(req.query),
    headers: selectHeaders(req.headers),
    body: req.body,
    status,
    durationMs,
    ...(effects.length > 0 ? { fault: effects.join(',') } : {}),
  });
  if (!runtime.quiet) {
    const fault = effects.length > 0 ? ` [fault: ${effects.join(',')}]` : '';
    console.log(`[${runtime.module.name}] ${req.method} ${req.url.pathname}${req.url.search} -> ${status} ${durationMs}ms${fault}`);
  }
}
