import { isPlainObject } from './http-kit';
import { SERVER_NAMES } from './types';
import type { SandboxModule, SandboxReply, ServerName } from './types';

/** One latency/error injection rule. The first matching rule (in insertion order) applies. */
export interface FaultRule {
  /** Exact path, or a prefix ending in '*' ('/external/*'). Compared with the path only, never the query. */
  path: string;
  /** Any method when absent; compared case-insensitively. */
  method?: string;
  /** Extra wait before answering (added to the server's global latency). */
  delayMs?: number;
  /** Answer with this status instead of calling the real handler. */
  status?: number;
  headers?: Record<string, string>;
  /** Body for an injected status; the server's own error format when absent. */
  body?: string;
  /** Send half of the body (injected or real) and then destroy the socket. */
  truncate?: boolean;
  /** Apply this many times, then remove the rule. Forever when absent. */
  times?: number;
}

export class FaultRuleError extends Error {}

const RULE_KEYS = new Set(['path', 'method', 'delayMs', 'status', 'headers', 'body', 'truncate', 'times']);
const MAX_DELAY_MS = 120_000;

function parseRule(input: unknown, where: string): FaultRule {
  if (!isPlainObject(input)) throw new FaultRuleError(`${where}: a fault rule must be a JSON object`);
  for (const key of Object.keys(input)) {
    if (!RULE_KEYS.has(key)) throw new FaultRuleError(`${where}: unknown key "${key}"`);
  }
  const { path, method, delayMs, status, headers, body, truncate, times } = input;
  if (typeof path !== 'string' || !path.startsWith('/')) throw new FaultRuleError(`${where}: path must be a string starting with "/"`);
  const rule: FaultRule = { path };
  if (method !== undefined) {
    if (typeof method !== 'string' || !/^[A-Za-z]+$/.test(method)) throw new FaultRuleError(`${where}: method must be an HTTP method name`);
    rule.method = method.toUpperCase();
  }
  if (delayMs !== undefined) {
    if (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0 || delayMs > MAX_DELAY_MS) {
      throw new FaultRuleError(`${where}: delayMs must be a number between 0 and ${MAX_DELAY_MS}`);
    }
    rule.delayMs = delayMs;
  }
  if (status !== undefined) {
    if (!Number.isInteger(status) || (status as number) < 200 || (status as number) > 599) {
      throw new FaultRuleError(`${where}: status must be an integer between 200 and 599`);
    }
    rule.status = status as number;
  }
  if (headers !== undefined) {
    if (!isPlainObject(headers) || !Object.values(headers).every((v) => typeof v === 'string')) {
      throw new FaultRuleError(`${where}: headers must be an object of strings`);
    }
    rule.headers = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v as string]));
  }
  if (body !== undefined) {
    if (typeof body !== 'string') throw new FaultRuleError(`${where}: body must be a string`);
    rule.body = body;
  }
  if (truncate !== undefined) {
    if (typeof truncate !== 'boolean') throw new FaultRuleError(`${where}: truncate must be a boolean`);
    rule.truncate = truncate;
  }
  if (times !== undefined) {
    if (!Number.isInteger(times) || (times as number) < 1) throw new FaultRuleError(`${where}: times must be a positive integer`);
    rule.times = times as number;
  }
  if (rule.delayMs === undefined && rule.status === undefined && !rule.truncate) {
    throw new FaultRuleError(`${where}: a rule needs at least one of delayMs, status or truncate`);
  }
  if ((rule.body !== undefined || rule.headers !== undefined) && rule.status === undefined) {
    throw new FaultRuleError(`${where}: body and headers only apply together with status`);
  }
  return rule;
}

/** Accepts one rule or an array of rules; validates all before any is used. */
export function parseFaultRules(input: unknown): FaultRule[] {
  if (Array.isArray(input)) return input.map((rule, i) => parseRule(rule, `rule ${i}`));
  return [parseRule(input, 'rule')];
}

function pathMatches(pattern: string, path: string): boolean {
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;
}

export class FaultTable {
  private rules: FaultRule[] = [];

  add(rules: readonly FaultRule[]): void {
    this.rules.push(...rules.map((rule) => ({ ...rule })));
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  /** Finds the rule for a request and counts one use of it (removing it when `times` runs out). */
  take(method: string, path: string): FaultRule | undefined {
    const index = this.rules.findIndex(
      (rule) => (rule.method === undefined || rule.method === method.toUpperCase()) && pathMatches(rule.path, path),
    );
    const rule = this.rules[index];
    if (!rule) return undefined;
    if (rule.times !== undefined) {
      rule.times -= 1;
      if (rule.times <= 0) this.rules.splice(index, 1);
    }
    return { ...rule };
  }
}

/** The reply for an injected status: the rule's body, else the server's own error format. */
export function injectedReply(rule: FaultRule & { status: number }, module: SandboxModule): SandboxReply {
  const base =
    rule.body !== undefined
      ? { status: rule.status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: rule.body }
      : module.errorReply(rule.status, `Injected fault: HTTP ${rule.status}`);
  const headers: Record<string, string | string[]> = { ...base.headers, ...rule.headers };
  // A 429 without Retry-After would leave clients guessing; real rate limiters send it.
  if (rule.status === 429 && headers['retry-after'] === undefined) headers['retry-after'] = '1';
  return { status: rule.status, headers, body: base.body };
}

export interface FaultEnvironment {
  latencyMs: number;
  rules: Partial<Record<ServerName, FaultRule[]>>;
}

/** Reads SANDBOX_LATENCY_MS and SANDBOX_FAULTS; throws with a clear message on malformed values. */
export function readFaultEnvironment(env: NodeJS.ProcessEnv): FaultEnvironment {
  const result: FaultEnvironment = { latencyMs: 0, rules: {} };
  const latency = env['SANDBOX_LATENCY_MS'];
  if (latency !== undefined && latency !== '') {
    const ms = Number(latency);
    if (!Number.isFinite(ms) || ms < 0) throw new FaultRuleError(`SANDBOX_LATENCY_MS must be a non-negative number, got "${latency}"`);
    result.latencyMs = ms;
  }
  const faults = env['SANDBOX_FAULTS'];
  if (faults !== undefined && faults !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(faults);
    } catch {
      throw new FaultRuleError('SANDBOX_FAULTS must be JSON: { "<serverName>": [rule, ...] }');
    }
    if (!isPlainObject(parsed)) throw new FaultRuleError('SANDBOX_FAULTS must be a JSON object keyed by server name');
    for (const [name, rules] of Object.entries(parsed)) {
      if (!(SERVER_NAMES as readonly string[]).includes(name)) {
        throw new FaultRuleError(`SANDBOX_FAULTS: unknown server "${name}" (known: ${SERVER_NAMES.join(', ')})`);
      }
      result.rules[name as ServerName] = parseFaultRules(rules);
    }
  }
  return result;
}
