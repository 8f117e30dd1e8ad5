import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPreparedRunner, type PreparedRunner } from './pglite-prepared';

describe('PGlite statements prepared once', () => {
  let db: PGlite;
  let runner: PreparedRunner;

  beforeAll(async () => {
    db = await PGlite.create();
    await db.exec(`create table seen (id text primary key, at timestamptz not null, tags text[] not null, doc jsonb, n bigint);
                   create table counts (key text primary key, count int not null)`);
    runner = createPreparedRunner(db);
  });
  afterAll(() => db.close());

  it('answers what PGlite’s own query answers, for every kind of parameter, time after time', async () => {
    const insert = 'insert into seen (id, at, tags, doc, n) values ($1, $2, $3, $4, $5) returning id, at, tags, doc, n';
    const at = new Date('2026-11-29T05:00:00.123Z');
    for (let i = 0; i < 3; i++) {
      const mine = await runner.query(insert, [`p-${i}`, at, ['a', 'b,"c"', ''], { k: [i, null] }, 2 ** 40 + i]);
      const theirs = await db.query(insert, [`q-${i}`, at, ['a', 'b,"c"', ''], { k: [i, null] }, 2 ** 40 + i]);
      expect(mine.rows).toEqual(theirs.rows.map((row) => ({ ...(row as object), id: `p-${i}` })));
    }
    expect((await runner.query('select count(*)::int as n from seen where doc is null and $1::text is null', [null])).rows).toEqual([{ n: 0 }]);
    expect((await runner.query('select id from seen where id = any($1) order by id', [['p-0', 'q-2']])).rows).toEqual([{ id: 'p-0' }, { id: 'q-2' }]);
  });

  it('a refused statement throws with its SQLSTATE, and the same and other statements run afterwards', async () => {
    const upsert = 'insert into counts (key, count) values ($1, 1) returning count';
    await runner.query(upsert, ['k']);
    await expect(runner.query(upsert, ['k'])).rejects.toMatchObject({ code: '23505' });
    await expect(runner.query('select $1::int as n', ['x'])).rejects.toMatchObject({ code: '22P02' });
    await expect(runner.query('selec 1', [])).rejects.toMatchObject({ code: '42601' });
    expect((await runner.query(upsert, ['l'])).rows).toEqual([{ count: 1 }]);
    expect((await runner.query('update counts set count = count + 1 where key = $1', ['l'])).rows).toEqual([]);
    expect((await runner.query('select $1::int as n', ['7'])).rows).toEqual([{ n: 7 }]);
  });

  it('waits for another caller’s open transaction instead of running inside it', async () => {
    let finish!: () => void;
    const held = new Promise<void>((resolve) => (finish = resolve));
    let opened!: () => void;
    const inside = new Promise<void>((resolve) => (opened = resolve));
    const order: string[] = [];
    const transaction = db.transaction(async (tx) => {
      await tx.query("insert into counts (key, count) values ('in-tx', 1)");
      opened();
      await held;
      await tx.rollback();
      order.push('rolled back');
    });
    await inside;
    try {
      const read = runner.query('select count(*)::int as n from counts where key = $1', ['in-tx']).then((result) => {
        order.push('read');
        return result.rows;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(order).toEqual([]);
      finish();
      await transaction;
      expect(await read).toEqual([{ n: 0 }]);
      expect(order).toEqual(['rolled back', 'read']);
    } finally {
      // A failed check must not leave the transaction holding the database for the tests after it.
      finish();
    }
  });

  it('beyond the statements it remembers, the rest still run (through PGlite’s own query)', async () => {
    for (let i = 0; i < 80; i++) expect((await runner.query(`select $1::int + ${i} as n`, [1])).rows).toEqual([{ n: 1 + i }]);
  });
});
