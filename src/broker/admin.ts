/**
 * `npm run broker:admin -- <command>`: the broker administrator's commands, against the same database as the
 * broker (DATABASE_URL, or BROKER_DATA_DIR for PGlite).
 *
 *   enrol <installation id> <label>   lets an installation launch when `enrolment` is `required` (the id is the
 *                                     thumbprint the extension's options page shows under Launch broker)
 *   enrolments [--json]               lists the enrolled installations: id, label, enrolment time, newest launch
 *   unenrol <installation id>         withdraws an enrolment (every instance refuses its next launch)
 *   audit [--fhir] [limit]            prints the newest audit entries, as CSV or as a FHIR R4 Bundle
 *   rotate-key <ES256|RS256>          a new signing key now (the old one stays in the JWKS for the overlap);
 *                                     needs the broker's settings (BROKER_CONFIG…, BROKER_KEK)
 *   rewrap-keys                       seals every signing key again under BROKER_KEK, reading those still sealed
 *                                     under BROKER_KEK_PREVIOUS (the last step but one of rotating BROKER_KEK)
 */
if (process.env.BROKER_ALLOW_LOOPBACK === '1') (globalThis as { __SANDBOX_BUILD__?: boolean }).__SANDBOX_BUILD__ = true;

const { runAdmin } = await import('./admin-commands');
process.exitCode = await runAdmin(process.argv.slice(2), process.env, (line) => console.log(line));

export {};
