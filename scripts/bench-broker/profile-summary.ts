/**
 * `tsx scripts/bench-broker/profile-summary.ts <file.cpuprofile> [top]`: where a broker's CPU time went, from a
 * V8 CPU profile (`npm run bench:broker` with BENCH_CPU_PROF=<dir>). Self time by area (the store's database,
 * logging, DPoP and JOSE, HTTP, the connectors, idle, garbage collection) and by function.
 */
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const AREAS: [string, RegExp][] = [
  ['database (PGlite)', /@electric-sql\/pglite/],
  ['database (pg driver)', /node_modules\/(pg|pg-protocol|pg-pool|pg-types)\//],
  ['store (SQL)', /src\/broker\/store\//],
  ['logging (pino)', /node_modules\/(pino|pino-std-serializers|sonic-boom|fast-redact|thread-stream)\//],
  ['DPoP and JOSE', /node_modules\/jose\/|src\/broker\/auth\/dpop/],
  ['access token (userinfo)', /src\/broker\/auth\/access-token|oauth4webapi/],
  ['validation (zod)', /node_modules\/zod\//],
  ['fastify', /node_modules\/(fastify|@fastify|find-my-way|light-my-request|avvio|fast-json-stringify|secure-json-parse|proxy-addr)/],
  ['metrics (prom-client)', /node_modules\/prom-client/],
  ['connectors', /src\/connectors\//],
  ['broker (other)', /src\/broker\//],
  ['shared', /src\/shared\//],
  ['undici (fetch)', /undici|node:internal\/deps\/undici/],
  ['node http', /node:(_http|http|net|internal\/http|internal\/stream|internal\/streams)/],
  ['tsx loader', /node_modules\/tsx\//],
];

function area(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)') return 'V8 and native (program)';
  for (const [name, pattern] of AREAS) if (pattern.test(url)) return name;
  if (url.startsWith('node:')) return 'node internals';
  return url ? 'other JS' : `native (${functionName || 'anonymous'})`;
}

const file = process.argv[2];
if (!file) {
  console.error('usage: tsx scripts/bench-broker/profile-summary.ts <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(process.argv[3] ?? 25);
const profile = JSON.parse(await readFile(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
const busy = total - [...selfUs].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((a, [, us]) => a + us, 0);

const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const GENERIC = new Set(['node internals', 'other JS', 'V8 and native (program)']);
/** A sample's area: its own frame's, or (for Node internals, WebAssembly and natives) its nearest caller's that has one. */
function sampleArea(id: number): string {
  const own = area(byId.get(id)!);
  if (!GENERIC.has(own) && !own.startsWith('native (')) return own;
  for (let at = parent.get(id); at !== undefined; at = parent.get(at)) {
    const found = area(byId.get(at)!);
    if (!GENERIC.has(found) && !found.startsWith('native (')) return found;
  }
  return own.startsWith('native (') ? 'native (other)' : own;
}

const areas = new Map<string, number>();
const functions = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = byId.get(id)!;
  const name = sampleArea(id);
  areas.set(name, (areas.get(name) ?? 0) + us);
  const where = node.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(src|scripts|tests)\//, '$1/');
  const key = `${node.callFrame.functionName || '(anonymous)'} ${where}:${node.callFrame.lineNumber + 1}`;
  functions.set(key, (functions.get(key) ?? 0) + us);
}
const pct = (us: number, of: number) => `${((100 * us) / of).toFixed(1)}%`;
console.log(`${file}: ${(total / 1e6).toFixed(1)} s profiled, ${(busy / 1e6).toFixed(1)} s busy (not idle)\n`);
console.log('| area (with the Node internals and natives it called) | s | of busy |\n|---|---:|---:|');
for (const [name, us] of [...areas].sort((a, b) => b[1] - a[1])) if (name !== 'idle') console.log(`| ${name} | ${(us / 1e6).toFixed(2)} | ${pct(us, busy)} |`);
console.log(`\n| function (self time, top ${top}) | self s | of busy |\n|---|---:|---:|`);
for (const [name, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) if (!name.startsWith('(idle)')) console.log(`| ${name} | ${(us / 1e6).toFixed(2)} | ${pct(us, busy)} |`);
