/** SQL fragments the store's statements share. */

/**
 * A subquery that makes the statement's own (implicit) transaction commit without waiting for the disk:
 * set_config(..., true) lasts until the end of that transaction, and the commit reads it. Only where losing the
 * last fraction of a second to a crash of the database server costs nothing that matters (see the admissions in
 * ./sql-store); never for the audit trail.
 */
export const NO_WAIT_FOR_DISK = `(SELECT set_config('synchronous_commit', 'off', true)) AS quick_commit`;

/** Milliseconds since the epoch → timestamptz, and back (rounded to the millisecond). */
export const fromMs = (param: string) => `to_timestamp(${param}::double precision / 1000)`;
export const toMs = (column: string) => `round(extract(epoch from ${column}) * 1000)::double precision`;
/** ISO 8601 in UTC with milliseconds, whatever the session's time zone and the driver's type parsers. */
export const toIso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
