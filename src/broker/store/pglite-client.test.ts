/**
 * The embedded database on its own thread: what crosses the thread boundary (rows, parameters, errors and their
 * SQLSTATE, transactions) and how the thread lives and ends with its process. The store's behaviour on it is in
 * sql-store.test.ts.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteClient } from './pglite-client';
import type { SqlClient } from './sql-store';

const run = promisify(execFile);

describe('PGlite on its own thread', () => {
  let client: SqlClient;
  beforeAll(async () => {
    client = await createPgliteClient();
    await client.query('CREATE TABLE t (id int PRIMARY KEY, note text, doc jsonb)');
  });
  afterAll(() => client.close());

  it('passes parameters and rows across, jsonb included', async () => {
    await client.query('INSERT INTO t VALUES ($1, $2, $3::text::jsonb)', [1, 'one', JSON.stringify({ a: [1, 2] })]);
    const { rows } = await client.query<{ id: number; note: string; doc: unknown }>('SELECT id, note, doc FROM t WHERE id = $1', [1]);
    expect(rows).toEqual([{ id: 1, note: 'one', doc: { a: [1, 2] } }]);
  });

  it('fails a statement with its message and SQLSTATE, and goes on', async () => {
    await expect(client.query('INSERT INTO t (id) VALUES (1)')).rejects.toMatchObject({ code: '23505', message: expect.stringContaining('duplicate key') });
    expect((await client.query('SELECT count(*)::int AS n FROM t')).rows).toEqual([{ n: 1 }]);
  });

  it('commits a transaction whose work succeeds, and rolls back one that throws', async () => {
    expect(await client.transaction(async (tx) => (await tx.query('INSERT INTO t (id) VALUES (2) RETURNING id')).rows)).toEqual([{ id: 2 }]);
    await expect(
      client.transaction(async (tx) => {
        await tx.query('INSERT INTO t (id) VALUES (3)');
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await expect(client.transaction((tx) => tx.query('INSERT INTO t (id) VALUES (2)'))).rejects.toMatchObject({ code: '23505' });
    expect((await client.query<{ id: number }>('SELECT id FROM t ORDER BY id')).rows.map((row) => row.id)).toEqual([1, 2]);
  });

  it('holds statements from outside an open transaction until it ends (one session)', async () => {
    let inside!: () => void;
    const open = client.transaction(async (tx) => {
      await tx.query('INSERT INTO t (id) VALUES (10)');
      await new Promise<void>((resolve) => (inside = resolve));
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const outside = client.query<{ n: number }>('SELECT count(*)::int AS n FROM t WHERE id = 10');
    inside();
    await open;
    expect((await outside).rows).toEqual([{ n: 1 }]);
  });

  it('creates WAL segments without zero-filling them (which held every statement for ~80 ms)', async () => {
    expect((await client.query('SHOW wal_init_zero')).rows).toEqual([{ wal_init_zero: 'off' }]);
  });
});

describe('the thread and its process', () => {
  it('refuses statements once closed, saying so', async () => {
    const client = await createPgliteClient();
    await client.close();
    await client.close();
    await expect(client.query('SELECT 1')).rejects.toThrow('The embedded database is closed.');
  });

  it('keeps data in its directory from one thread to the next', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pglite-thread-'));
    try {
      const first = await createPgliteClient({ dataDir: dir });
      await first.query('CREATE TABLE kept (v text)');
      await first.query("INSERT INTO kept VALUES ('still here')");
      await first.close();
      const second = await createPgliteClient({ dataDir: dir });
      expect((await second.query('SELECT v FROM kept')).rows).toEqual([{ v: 'still here' }]);
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps its process alive while an answer is awaited, and not after', async () => {
    // A process that never closes the client: it must print the answer (not exit while waiting for it) and then
    // exit by itself (the idle thread does not hold it).
    const script = `
      import { createPgliteClient } from ${JSON.stringify(new URL('./pglite-client.ts', import.meta.url).href)};
      const client = await createPgliteClient();
      await new Promise((resolve) => setTimeout(resolve, 10));
      const { rows } = await client.query('SELECT pg_sleep(0.2), 42 AS answer');
      console.log(rows[0].answer);`;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 60_000 });
    expect(stdout.trim()).toBe('42');
  });
});
