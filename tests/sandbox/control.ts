import { FaultRuleError, parseFaultRules } from './faults';
import { isPlainObject, jsonReply } from './http-kit';
import type { ServerRuntime } from './runtime';
import { SettingsError } from './settings-store';
import type { SandboxReply, SandboxRequest } from './types';

export const CONTROL_PREFIX = '/__sandbox/';

type ControlRoute = Partial<Record<'GET' | 'POST' | 'DELETE', (runtime: ServerRuntime, req: SandboxRequest) => SandboxReply>>;

class ControlError extends Error {}

function parseJsonBody(req: SandboxRequest): unknown {
  try {
    return JSON.parse(req.body);
  } catch {
    throw new ControlError('request body must be JSON');
  }
}

// Lists and settings are returned bare (a JSON array / object) so callers need no unwrapping.
const faultList = (runtime: ServerRuntime) => jsonReply(200, runtime.faults.list());
const settingsView = (runtime: ServerRuntime) => jsonReply(200, runtime.module.settings.get());

const ROUTES: Record<string, ControlRoute> = {
  health: {
    GET: (runtime) =>
      jsonReply(200, { ok: true, server: runtime.module.name, latencyMs: runtime.latencyMs, faults: runtime.faults.list().length }),
  },
  faults: {
    GET: faultList,
    POST: (runtime, req) => {
      runtime.faults.add(parseFaultRules(parseJsonBody(req)));
      return faultList(runtime);
    },
    DELETE: (runtime) => {
      runtime.faults.clear();
      return faultList(runtime);
    },
  },
  latency: {
    GET: (runtime) => jsonReply(200, { ms: runtime.latencyMs }),
    POST: (runtime, req) => {
      const body = parseJsonBody(req);
      const ms = isPlainObject(body) ? body['ms'] : undefined;
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw new ControlError('body must be { "ms": <non-negative number> }');
      runtime.latencyMs = ms;
      return jsonReply(200, { ms });
    },
  },
  requests: {
    GET: (runtime, req) => {
      const path = req.query.get('path');
      const requests = runtime.log.list().filter((entry) => path === null || entry.path === path);
      return jsonReply(200, requests);
    },
    DELETE: (runtime) => {
      runtime.log.clear();
      return jsonReply(200, []);
    },
  },
  settings: {
    GET: settingsView,
    POST: (runtime, req) => {
      runtime.module.settings.merge(parseJsonBody(req));
      return settingsView(runtime);
    },
    DELETE: (runtime) => {
      runtime.module.settings.reset();
      return settingsView(runtime);
    },
  },
  reset: {
    POST: (runtime) => {
      runtime.reset();
      return jsonReply(200, { ok: true });
    },
  },
};

/** Answers /__sandbox/* requests. These are never recorded, delayed or fault-injected. */
export function handleControl(runtime: ServerRuntime, req: SandboxRequest): SandboxReply {
  const route = ROUTES[req.path.slice(CONTROL_PREFIX.length)];
  if (!route) return jsonReply(404, { error: `unknown control endpoint ${req.path}` });
  const handler = route[req.method as keyof ControlRoute];
  if (!handler) return jsonReply(405, { error: `${req.method} not allowed on ${req.path}` }, { allow: Object.keys(route).join(', ') });
  try {
    return handler(runtime, req);
  } catch (error) {
    if (error instanceof ControlError || error instanceof FaultRuleError || error instanceof SettingsError) {
      return jsonReply(400, { error: error.message });
    }
    throw error;
  }
}
