import type { IncomingHttpHeaders } from 'node:http';

export interface RecordedRequest {
  id: number;
  time: string;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body: string;
  status: number;
  durationMs: number;
  /** Set when a fault rule changed this request: 'delay', 'status', 'truncate' (comma-joined). */
  fault?: string;
}

const MAX_ENTRIES = 1000;

/** Headers worth seeing when debugging a partner call; cookies are included on purpose (they are sandbox-only). */
export function selectHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const wanted = new Set(['referer', 'origin', 'content-type', 'accept', 'cookie', 'user-agent', 'sec-fetch-site', 'sec-fetch-mode', 'sec-fetch-dest']);
  const selected: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (wanted.has(name) || name.startsWith('x-')) selected[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return selected;
}

export function queryRecord(query: URLSearchParams): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  for (const [key, value] of query) {
    const existing = record[key];
    if (existing === undefined) record[key] = value;
    else record[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return record;
}

export class RequestLog {
  private entries: RecordedRequest[] = [];
  private nextId = 1;

  record(entry: Omit<RecordedRequest, 'id'>): void {
    this.entries.push({ id: this.nextId++, ...entry });
    if (this.entries.length > MAX_ENTRIES) this.entries.shift();
  }

  list(): RecordedRequest[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}
