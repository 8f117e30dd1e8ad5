import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxBrokerEnv } from '../../tests/sandbox/broker-config';
import { freePort } from '../../tests/sandbox/free-port';
import { PATIENTS } from '../../tests/sandbox/fixtures';
import { signInAt } from '../../tests/sandbox/org-idp-window';
import { useSandbox } from '../../tests/sandbox/test-kit';
import { dpopProof, type DpopKey } from '../shared/broker/dpop-proof';
import { runAdmin } from './admin-commands';
import { testSchema } from './broker-test-fixtures';
import { openStore, type BrokerStore } from './store/store';

/**
 * Two broker processes (`npm run broker`) on one PostgreSQL database, behind one public address as a load
 * balancer would put them: launches spread over both, one killed (SIGKILL) in the middle of a load, and what
 * they must share: the audit trail (every launch answered 200 recorded exactly once), DPoP replay protection
 * and the rate limits. PGlite cannot be shared between processes, so this needs DATABASE_URL (CI sets it).
 */

const databaseUrl = process.env.DATABASE_URL;
const SKIP_REASON = 'skipped: two broker processes need one PostgreSQL database; set DATABASE_URL (CI does)';
/** What clients sign their proofs for: the one address in front of both instances. */
const PUBLIC_URL = 'https://broker.trust.example';
const LAUNCH_URL = `${PUBLIC_URL}/v1/launch`;
const patientOf = (i: number) => {
  const p = PATIENTS[i % PATIENTS.length]!;
  return { nhsNumber: p.nhsNumber, birthDate: p.birthDate, name: { family: p.family, given: p.given } };
};


/** One broker process on its own port. */
class Instance {
  private child: ChildProcess | undefined;
  output = '';
  constructor(
    readonly name: string,
    readonly address: string,
  ) {}

  static async start(name: string, env: NodeJS.ProcessEnv): Promise<Instance> {
    const port = await freePort();
    const instance = new Instance(name, `http://127.0.0.1:${port}`);
    instance.child = spawn(process.execPath, ['--import', 'tsx', 'src/broker/main.ts'], { env: { ...env, BROKER_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    instance.child.stdout?.on('data', (chunk: Buffer) => (instance.output += chunk.toString()));
    instance.child.stderr?.on('data', (chunk: Buffer) => (instance.output += chunk.toString()));
    const deadline = Date.now() + 45_000;
    while (Date.now() < deadline) {
      if (instance.child.exitCode !== null) throw new Error(`broker ${name} stopped: ${instance.output.slice(-2000)}`);
      if (await fetch(`${instance.address}/readyz`).then((r) => r.ok, () => false)) return instance;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`broker ${name} did not become ready: ${instance.output.slice(-2000)}`);
  }

  /** Gone at once, mid-request, as a crashed or killed container is. */
  async kill(): Promise<void> {
    await this.end('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.end('SIGTERM');
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

async function installation(): Promise<DpopKey> {
  const pair = await generateKeyPair('ES256', { extractable: false });
  return { key: pair.privateKey as CryptoKey, jwk: (await exportJWK(pair.publicKey)) as JWK, alg: 'ES256' };
}

interface Answer {
  status: number;
  code?: string;
}

/** POST /v1/launch to one instance, with a proof made for the public address; a dead instance answers status 0. */
async function launch(instance: Instance, input: { token: string; key: DpopKey; proof?: string; partnerId?: string; patient?: number }): Promise<Answer> {
  const proof = input.proof ?? (await dpopProof(input.key, { method: 'POST', url: LAUNCH_URL, accessToken: input.token, nowMs: Date.now() }));
  try {
    const response = await fetch(`${instance.address}/v1/launch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `DPoP ${input.token}`, dpop: proof },
      body: JSON.stringify({ partnerId: input.partnerId ?? 'knowledge-base', patient: patientOf(input.patient ?? 0) }),
      signal: AbortSignal.timeout(20_000),
    });
    const body = (await response.json().catch(() => ({}))) as { code?: string; instruction?: unknown };
    if (response.status === 200 && !body.instruction) throw new Error('200 without an instruction');
    return { status: response.status, ...(body.code ? { code: body.code } : {}) };
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('200')) throw error;
    return { status: 0 };
  }
}

/** Starts the next test at the start of a rate-limit window when the current one is about to end. */
async function awayFromWindowEnd(marginMs: number): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

describe.skipIf(!databaseUrl)(`two broker instances on one PostgreSQL store${databaseUrl ? '' : ` (${SKIP_REASON})`}`, { timeout: 120_000 }, () => {
  const sandbox = useSandbox();
  /** The shared database, in this file's own schema (as the instances and `broker:admin` reach it). */
  const schema = databaseUrl ? testSchema(databaseUrl, 'two') : undefined;
  const kek = randomBytes(32).toString('base64url');
  let store: BrokerStore;
  let instances: Instance[] = [];

  /** Both instances, started together (they migrate the new schema at once), with these rate limits. */
  async function startPair(rateLimits: { perClinicianPerMinute: number; perInstallationPerMinute: number }, document: Record<string, unknown> = {}): Promise<void> {
    await Promise.all(instances.map((i) => i.stop()));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...sandboxBrokerEnv(sandbox.urls, { document: { rateLimits, ...document } }),
      DATABASE_URL: schema!.url,
      BROKER_KEK: kek,
      BROKER_PUBLIC_URL: PUBLIC_URL,
      BROKER_LOG_LEVEL: 'warn',
    };
    instances = await Promise.all([Instance.start('A', env), Instance.start('B', env)]);
    // The test's own look at the shared database (the schema the instances migrated).
    store ??= await openStore({ databaseUrl: databaseUrl!, schema: schema!.name, migrate: false });
  }

  beforeAll(async () => {
    await schema!.create();
  }, 60_000);
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    await store?.close();
    await schema?.drop();
  }, 60_000);

  it('refuses on one instance a DPoP proof the other accepted', async () => {
    await startPair({ perClinicianPerMinute: 1000, perInstallationPerMinute: 1000 });
    const [a, b] = instances as [Instance, Instance];
    const token = (await signInAt(sandbox.urls['org-idp'], 'dr.jones')).accessToken!;
    const key = await installation();
    for (const [first, second] of [
      [a, b],
      [b, a],
    ] as const) {
      const proof = await dpopProof(key, { method: 'POST', url: LAUNCH_URL, accessToken: token, nowMs: Date.now() });
      expect(await launch(first, { token, key, proof })).toEqual({ status: 200 });
      expect(await launch(second, { token, key, proof })).toEqual({ status: 401, code: 'invalid_dpop_proof' });
      // And on the instance that accepted it, as before.
      expect(await launch(first, { token, key, proof })).toEqual({ status: 401, code: 'invalid_dpop_proof' });
    }
  });

  it('counts one rate limit per clinician across both instances', async () => {
    await startPair({ perClinicianPerMinute: 6, perInstallationPerMinute: 1000 });
    const [a, b] = instances as [Instance, Instance];
    await awayFromWindowEnd(20_000);
    const token = (await signInAt(sandbox.urls['org-idp'], 'dr.patel', '555000000202')).accessToken!;
    // Six launches, alternately on each instance and each from its own computer: all allowed.
    for (let i = 0; i < 6; i += 1) expect(await launch(i % 2 ? b : a, { token, key: await installation() })).toEqual({ status: 200 });
    // The seventh is refused whichever instance it reaches.
    expect(await launch(a, { token, key: await installation() })).toEqual({ status: 429, code: 'rate_limited' });
    expect(await launch(b, { token, key: await installation() })).toEqual({ status: 429, code: 'rate_limited' });
    // Another clinician is not held back by it.
    const jones = (await signInAt(sandbox.urls['org-idp'], 'dr.jones')).accessToken!;
    expect(await launch(b, { token: jones, key: await installation() })).toEqual({ status: 200 });
  });

  it('an installation unenrolled with broker:admin is refused by both instances at its next launch', async () => {
    await startPair({ perClinicianPerMinute: 1000, perInstallationPerMinute: 1000 }, { enrolment: 'required' });
    const [a, b] = instances as [Instance, Instance];
    const token = (await signInAt(sandbox.urls['org-idp'], 'dr.jones')).accessToken!;
    const key = await installation();
    const id = await calculateJwkThumbprint(key.jwk);
    const admin = async (...args: string[]) => {
      const lines: string[] = [];
      return { code: await runAdmin(args, { DATABASE_URL: schema!.url }, (line) => lines.push(line)), text: lines.join('\n') };
    };
    expect(await launch(a, { token, key })).toEqual({ status: 403, code: 'installation_not_enrolled' });
    expect(await admin('enrol', id, 'Ward 7 PC 12')).toMatchObject({ code: 0 });
    expect(await launch(a, { token, key })).toEqual({ status: 200 });
    expect(await launch(b, { token, key })).toEqual({ status: 200 });
    expect((await admin('enrolments')).text).toMatch(new RegExp(`^${id}  Ward 7 PC 12  \\S+Z  \\S+Z$`, 'm'));
    expect(await admin('unenrol', id)).toMatchObject({ code: 0 });
    expect(await launch(b, { token, key })).toEqual({ status: 403, code: 'installation_not_enrolled' });
    expect(await launch(a, { token, key })).toEqual({ status: 403, code: 'installation_not_enrolled' });
    expect(await admin('unenrol', id)).toMatchObject({ code: 1 });
  });

  it('spreads a load over both; one killed mid-way; every launch answered 200 has exactly one audit entry', async () => {
    await startPair({ perClinicianPerMinute: 10_000, perInstallationPerMinute: 10_000 });
    const [a, b] = instances as [Instance, Instance];
    const tokens = [(await signInAt(sandbox.urls['org-idp'], 'dr.jones')).accessToken!, (await signInAt(sandbox.urls['org-idp'], 'dr.patel', '555000000202')).accessToken!];
    const before = new Set((await store.listAudit({ limit: 10_000 })).map((e) => e.id));

    // Each launch from a computer of its own: its installation id (the key's thumbprint) names it in the audit.
    const TOTAL = 120;
    const KILL_AFTER = 40;
    const results: { installation: string; instance: 'A' | 'B'; killed: boolean; answer: Answer }[] = [];
    let next = 0;
    let answered = 0;
    let killing: Promise<void> | undefined;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < TOTAL) {
          const k = next++;
          const key = await installation();
          const target = k % 2 ? b : a;
          const killed = killing !== undefined;
          const partnerId = k % 3 === 0 ? 'parchment' : 'knowledge-base';
          const answer = await launch(target, { token: tokens[k % 2]!, key, partnerId, patient: k });
          results.push({ installation: await calculateJwkThumbprint(key.jwk, 'sha256'), instance: target.name as 'A' | 'B', killed, answer });
          answered += 1;
          // A is killed while launches are in flight on it.
          if (answered === KILL_AFTER) killing = a.kill();
        }
      }),
    );
    await killing;

    const ok = results.filter((r) => r.answer.status === 200);
    // Both served launches before the kill, and B went on serving after it; launches sent to A then failed.
    expect(ok.some((r) => r.instance === 'A' && !r.killed)).toBe(true);
    expect(ok.some((r) => r.instance === 'B' && !r.killed)).toBe(true);
    expect(ok.some((r) => r.instance === 'B' && r.killed)).toBe(true);
    expect(results.filter((r) => r.instance === 'A' && r.killed && r.answer.status === 0).length).toBeGreaterThan(0);
    // Nothing but 200s and launches that never got an answer (the killed instance).
    expect(results.filter((r) => r.answer.status !== 200 && r.answer.status !== 0)).toEqual([]);

    const entries = (await store.listAudit({ limit: 10_000 })).filter((e) => !before.has(e.id));
    const okEntries = new Map<string, number>();
    for (const entry of entries.filter((e) => e.outcome === 'ok')) okEntries.set(entry.installation!, (okEntries.get(entry.installation!) ?? 0) + 1);
    // Every 200 is in the audit exactly once…
    for (const r of ok) expect(okEntries.get(r.installation), `launch by ${r.installation} on ${r.instance}`).toBe(1);
    // …and nothing is recorded twice: an entry beyond the 200s can only be a launch whose answer died with A.
    expect([...okEntries.values()].every((n) => n === 1)).toBe(true);
    const unanswered = new Set(results.filter((r) => r.answer.status === 0).map((r) => r.installation));
    for (const installationId of okEntries.keys()) expect(ok.some((r) => r.installation === installationId) || unanswered.has(installationId)).toBe(true);
    // Stopped first: the broker writes what its log still holds as it exits.
    await b.stop();
    expect(b.output).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  });
});
