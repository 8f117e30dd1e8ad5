/**
 * Several admissions (see BrokerStore.admit) in one statement, each answered exactly as it would have been alone
 * and in that order: a jti given twice is fresh for its first request only, and the requests counted against one
 * key get successive counts, in order. Arrays travel one per column, as the batched audit insert's do.
 */
import { fromMs, NO_WAIT_FOR_DISK } from './sql-fragments';
import type { SqlQueryable } from './sql-store';
import type { Admission, AdmitRequest } from './store';

// Per request (ordinal n): the jti, its expiry, the installation, whether it must be enrolled, its window. Per key
// counted: its request's ordinal and the key. A request is counted when its jti was fresh (its own insert, not an
// earlier request's of the batch) and the enrolment holds. Each counter row is inserted or updated once, with the
// number of its requests, in a fixed order (jtis, then counter rows by key), so concurrent statements lock rows in
// the same order and cannot deadlock. The answer: one row per request, then one per counter touched (its count
// after the statement and how many of the batch it counted). Committed without waiting for the disk, as one
// admission alone is (./sql-store).
const ADMIT_MANY = `WITH req AS (
    SELECT r.*, min(r.n) OVER (PARTITION BY r.jti) = r.n AS first_use
    FROM unnest($1::text[], $2::float8[], $3::text[], $4::boolean[], $5::float8[], $6::float8[])
      WITH ORDINALITY AS r(jti, jti_expires, jkt, require_enrolment, window_start, window_end, n)
  ), spent AS (
    INSERT INTO dpop_jti (jti, expires_at)
    SELECT req.jti, ${fromMs('req.jti_expires')} FROM req, ${NO_WAIT_FOR_DISK}
    WHERE req.first_use
    ORDER BY req.jti
    ON CONFLICT (jti) DO NOTHING RETURNING jti
  ), judged AS (
    SELECT req.n, req.window_start, req.window_end,
      req.first_use AND EXISTS (SELECT 1 FROM spent WHERE spent.jti = req.jti) AS fresh,
      req.require_enrolment AND EXISTS (SELECT 1 FROM installations WHERE installations.jkt = req.jkt) AS enrolled,
      req.require_enrolment
    FROM req
  ), hits AS (
    SELECT k.key, j.window_start, max(j.window_end) AS window_end, count(*)::integer AS hits
    FROM unnest($7::bigint[], $8::text[]) AS k(n, key) JOIN judged j ON j.n = k.n
    WHERE j.fresh AND (NOT j.require_enrolment OR j.enrolled)
    GROUP BY k.key, j.window_start
  ), counted AS (
    INSERT INTO rate_counters (key, window_start, expires_at, count)
    SELECT hits.key, ${fromMs('hits.window_start')}, ${fromMs('hits.window_end')}, hits.hits FROM hits
    ORDER BY hits.key, hits.window_start
    ON CONFLICT (key, window_start) DO UPDATE SET count = rate_counters.count + EXCLUDED.count
    RETURNING key, window_start, count
  )
  SELECT j.n::integer AS n, j.fresh, j.enrolled, NULL::text AS key, NULL::float8 AS window_start, NULL::integer AS count, NULL::integer AS hits
  FROM judged j
  UNION ALL
  SELECT NULL, NULL, NULL, hits.key, hits.window_start, counted.count, hits.hits
  FROM hits JOIN counted ON counted.key = hits.key AND counted.window_start = ${fromMs('hits.window_start')}`;

interface AdmitManyRow {
  n: number | null;
  fresh: boolean | null;
  enrolled: boolean | null;
  key: string | null;
  window_start: number | string | null;
  count: number | string | null;
  hits: number | string | null;
}

/** Admits `requests` (already checked, as admit checks them) in one statement; one Admission per request, in order. */
export async function admitMany(client: SqlQueryable, requests: readonly AdmitRequest[]): Promise<Admission[]> {
  // Each request's distinct keys, in a fixed order, as one admission alone counts them.
  const keysOf = requests.map((request) => [...new Set(request.keys)].sort());
  const keyOwners = keysOf.flatMap((keys, i) => keys.map(() => i + 1));
  const { rows } = await client.query<AdmitManyRow>(ADMIT_MANY, [
    requests.map((r) => r.jti),
    requests.map((r) => r.jtiExpiresAt),
    requests.map((r) => r.installation),
    requests.map((r) => r.requireEnrolment),
    requests.map((r) => r.windowStartMs),
    requests.map((r) => r.windowStartMs + r.windowMs),
    keyOwners,
    keysOf.flat(),
  ]);
  const judged = new Map<number, { fresh: boolean; enrolled: boolean }>();
  // Per counter row: the count the first of this batch's requests gets; each next one gets one more.
  const nextCount = new Map<string, number>();
  const counter = (key: string, windowStartMs: number) => `${windowStartMs}\u0000${key}`;
  for (const row of rows) {
    if (row.key === null) judged.set(Number(row.n), { fresh: row.fresh === true, enrolled: row.enrolled === true });
    else nextCount.set(counter(row.key, Number(row.window_start)), Number(row.count) - Number(row.hits) + 1);
  }
  return requests.map((request, i) => {
    const verdict = judged.get(i + 1);
    if (!verdict) throw new Error('the admission statement did not answer for every request');
    const counted = verdict.fresh && (!request.requireEnrolment || verdict.enrolled);
    if (!counted || keysOf[i]!.length === 0) return { fresh: verdict.fresh, enrolled: verdict.enrolled, counts: [] };
    const counts = new Map<string, number>();
    for (const key of keysOf[i]!) {
      const id = counter(key, request.windowStartMs);
      const count = nextCount.get(id);
      if (count === undefined) throw new Error('the admission statement did not count every key');
      counts.set(key, count);
      nextCount.set(id, count + 1);
    }
    return { fresh: verdict.fresh, enrolled: verdict.enrolled, counts: request.keys.map((key) => counts.get(key)!) };
  });
}
