/**
 * The audit trail's record and its two export formats (CSV and a FHIR R4 Bundle of AuditEvent resources).
 * Pure functions: the background writes entries, the options page shows and exports them.
 *
 * An entry says who did what, for which patient, at which partner, how it went and how long it took. It never
 * holds a token, secret or URL.
 */

/**
 * A partner tab opened for one patient, once its EHR tab moved on or the clinician signed out: marked as stale,
 * closed, launched again automatically for the EHR's new patient (`tab-followed`), or launched again by the
 * clinician from the strip (`tab-relaunched`). `code` says what moved on (`patient-changed`, `ehr-closed`,
 * `ehr-left`, `signed-out`), or for a refused relaunch the launch error code.
 */
export const PARTNER_TAB_AUDIT_EVENTS = ['tab-marked', 'tab-closed', 'tab-followed', 'tab-relaunched'] as const;
export type PartnerTabAuditEvent = (typeof PARTNER_TAB_AUDIT_EVENTS)[number];

export const AUDIT_EVENTS = ['launch', 'pair', 'unpair', 'sign-in', 'sign-out', ...PARTNER_TAB_AUDIT_EVENTS] as const;
export type AuditEventKind = (typeof AUDIT_EVENTS)[number];
/**
 * `ok`: done, and for a launch the partner's page was seen to load. `sent`: a launch went to the partner but
 * whether the partner accepted it could not be seen (its tab's address or page was out of the extension's
 * sight, or the tab closed first); its code says `outcome-not-visible`. `refused`: nothing was opened.
 * `error`: failed, including a partner tab that landed on the partner's refusal page or an unreachable site.
 */
export const AUDIT_OUTCOMES = ['ok', 'sent', 'refused', 'error'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** The code of a `sent` launch: the form or link went out, the partner's answer was not seen. */
export const OUTCOME_NOT_VISIBLE = 'outcome-not-visible';

/** Outcomes that went wrong (diagnostics' "last refusals and errors"); `sent` is not one. */
export function isFailedOutcome(outcome: AuditOutcome): boolean {
  return outcome === 'refused' || outcome === 'error';
}

/** What callers record. */
export interface AuditEntry {
  /** ISO 8601 time the action finished. */
  time: string;
  event: AuditEventKind;
  /** The clinician's username, or null when none was set up. */
  clinician: string | null;
  /** The partner's id in the configuration; empty for events that concern no one partner (sign-out). */
  partnerId: string;
  /** The patient the action was for; for partner tab events, the patient the tab was opened for. */
  nhsNumber: string | null;
  /**
   * Partner tab events only: the patient the EHR tab shows now (the one a followed or relaunched tab was opened
   * for), or null when it shows none (closed, left the EHR, signed out). Absent on every other event.
   */
  nhsNumberNow?: string | null;
  outcome: AuditOutcome;
  /** Why it was refused or failed (a launch error code such as `patient-changed`), or a note (`retried-once`). */
  code?: string;
  ms: number;
  /**
   * Whether the clinician was proven by the organisation's sign-in (issuer and subject of that identity, and the
   * role used) or typed into the profile (`verified: false`). Absent on entries older than this field.
   */
  identity?: { verified: boolean; issuer?: string; subject?: string; role?: string };
  /**
   * The launch broker's entries only: the extension installation that asked, as the RFC 7638 thumbprint of its
   * DPoP key. The extension's own entries have none.
   */
  installation?: string;
}

/** A stored entry: the log gives each one a stable id (also the AuditEvent's id when forwarded). */
export interface StoredAuditEntry extends AuditEntry {
  id: string;
}

// ---------------------------------------------------------------- CSV

// New columns go at the end, so that a spreadsheet or script reading older exports by position still works.
export const AUDIT_CSV_COLUMNS = ['time', 'event', 'clinician', 'partner', 'nhsNumber', 'outcome', 'code', 'ms', 'id', 'identity', 'issuer', 'subject', 'role', 'nhsNumberNow'] as const;

/**
 * One CSV cell (RFC 4180). A cell a spreadsheet would run as a formula (starting with = + - @, or a tab or
 * carriage return that some spreadsheets skip) gets a leading single quote, so opening the export runs nothing.
 */
export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (typeof value !== 'number' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The broker's export: the extension's columns, then the installation that asked. */
const BROKER_AUDIT_CSV_COLUMNS = [...AUDIT_CSV_COLUMNS, 'installation'] as const;

interface AuditCsvOptions {
  /**
   * Add the `installation` column (the launch broker's export). The extension's export leaves it out: its
   * entries never have one, and readers of its CSV keep the columns they know.
   */
  installationColumn?: boolean;
}

export function auditCsv(entries: readonly StoredAuditEntry[], options: AuditCsvOptions = {}): string {
  const rows = [(options.installationColumn ? BROKER_AUDIT_CSV_COLUMNS : AUDIT_CSV_COLUMNS).join(',')];
  for (const e of entries) {
    const cells = auditCsvCells(e);
    if (options.installationColumn) cells.push(e.installation);
    rows.push(cells.map(csvCell).join(','));
  }
  return `${rows.join('\r\n')}\r\n`;
}

/** One entry's cells, in the order of AUDIT_CSV_COLUMNS. */
function auditCsvCells(e: StoredAuditEntry): (string | number | null | undefined)[] {
  const identity = e.identity ? (e.identity.verified ? 'verified' : 'typed') : '';
  return [e.time, e.event, e.clinician, e.partnerId, e.nhsNumber, e.outcome, e.code, e.ms, e.id, identity, e.identity?.issuer, e.identity?.subject, e.identity?.role, e.nhsNumberNow];
}

// ---------------------------------------------------------------- FHIR R4

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const SOURCE_TYPE = 'http://terminology.hl7.org/CodeSystem/security-source-type';
export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
const SDS_ROLE_PROFILE_SYSTEM = 'https://fhir.nhs.uk/Id/sds-role-profile-id';
/** An installation id is the JWK thumbprint (RFC 7638) of the installation's DPoP key. */
export const JWK_THUMBPRINT_SYSTEM = 'urn:ietf:rfc:7638';
/** The extension's own codes for what happened to a partner tab (AuditEvent.subtype). */
export const PARTNER_TAB_EVENT_SYSTEM = 'urn:ehr-launchpad:audit-event';

interface Coding {
  system: string;
  code: string;
  display: string;
}

export interface FhirAuditEvent {
  resourceType: 'AuditEvent';
  id: string;
  type: Coding;
  subtype?: Coding[];
  action: 'C' | 'R' | 'U' | 'D' | 'E';
  period: { start: string; end: string };
  recorded: string;
  outcome: '0' | '4' | '8' | '12';
  outcomeDesc?: string;
  agent: {
    type?: { coding: Coding[] };
    who?: { type?: 'Device'; identifier?: { system?: string; value: string }; display?: string };
    role?: { coding: Coding[] }[];
    name?: string;
    requestor: boolean;
  }[];
  source: { site?: string; observer: { display: string }; type: Coding[] };
  entity?: {
    what: { identifier: { system: string; value: string } };
    type: Coding;
    role: Coding;
    description?: string;
  }[];
}

export interface FhirBundle {
  resourceType: 'Bundle';
  id: string;
  type: 'collection';
  timestamp: string;
  entry: { fullUrl: string; resource: FhirAuditEvent }[];
}

export interface AuditSource {
  /** Who observed the event: the extension, with its version. */
  observer: string;
  /** Where, if known (the installation or the trust's site name). */
  site?: string;
  /** What kind of system recorded it: the clinician's own device (the extension, the default) or a server (the broker). */
  kind?: 'user-device' | 'application-server';
}

/**
 * A partner tab showing a patient's record was acted on. DICOM has no code for which action, so the subtype
 * names it in the extension's own code system.
 */
function partnerTabEvent(code: PartnerTabAuditEvent, display: string): { type: Coding; subtype: Coding } {
  return { type: { system: DCM, code: '110110', display: 'Patient Record' }, subtype: { system: PARTNER_TAB_EVENT_SYSTEM, code, display } };
}

const EVENT_TYPE: Record<AuditEventKind, { type: Coding; subtype?: Coding }> = {
  // The patient's record is opened in a partner application.
  launch: { type: { system: DCM, code: '110110', display: 'Patient Record' } },
  // Pairing and signing out are the clinician's authentication with a partner.
  pair: { type: { system: DCM, code: '110114', display: 'User Authentication' }, subtype: { system: DCM, code: '110122', display: 'Login' } },
  unpair: { type: { system: DCM, code: '110114', display: 'User Authentication' }, subtype: { system: DCM, code: '110123', display: 'Logout' } },
  'sign-in': { type: { system: DCM, code: '110114', display: 'User Authentication' }, subtype: { system: DCM, code: '110122', display: 'Login' } },
  'sign-out': { type: { system: DCM, code: '110114', display: 'User Authentication' }, subtype: { system: DCM, code: '110123', display: 'Logout' } },
  'tab-marked': partnerTabEvent('tab-marked', "Partner tab marked: not the EHR's patient"),
  'tab-closed': partnerTabEvent('tab-closed', 'Partner tab closed'),
  'tab-followed': partnerTabEvent('tab-followed', "Partner tab relaunched automatically for the EHR's patient"),
  'tab-relaunched': partnerTabEvent('tab-relaunched', "Partner tab relaunched by the clinician for the EHR's patient"),
};

/**
 * 0 success, 4 minor failure (refused: nothing was opened), 8 serious failure, 12 major failure (an internal
 * fault). A `sent` launch is 0, the sending having succeeded; its outcomeDesc says the result was not seen.
 */
export function fhirOutcome(entry: Pick<AuditEntry, 'outcome' | 'code'>): FhirAuditEvent['outcome'] {
  if (entry.outcome === 'ok' || entry.outcome === 'sent') return '0';
  if (entry.outcome === 'refused') return '4';
  return entry.code === 'internal' ? '12' : '8';
}

export function auditEventFor(entry: StoredAuditEntry, source: AuditSource): FhirAuditEvent {
  const { type, subtype } = EVENT_TYPE[entry.event];
  const end = new Date(entry.time);
  const start = new Date(end.getTime() - Math.max(0, entry.ms));
  const agent: FhirAuditEvent['agent'] = [
    {
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP', display: 'information recipient' }] },
      ...(entry.identity?.verified && entry.identity.issuer && entry.identity.subject
        ? // A verified clinician is named as the organisation's provider knows them: its issuer and subject.
          { who: { identifier: { system: entry.identity.issuer, value: entry.identity.subject }, display: entry.clinician ?? entry.identity.subject } }
        : entry.clinician
          ? { who: { identifier: { value: entry.clinician }, display: entry.clinician } }
          : { name: 'unknown clinician' }),
      ...(entry.identity?.role ? { role: [{ coding: [{ system: SDS_ROLE_PROFILE_SYSTEM, code: entry.identity.role, display: 'SDS role profile' }] }] } : {}),
      requestor: true,
    },
  ];
  if (entry.partnerId) {
    agent.push({
      type: { coding: [{ system: DCM, code: '110152', display: 'Destination Role ID' }] },
      who: { display: entry.partnerId },
      requestor: false,
    });
  }
  if (entry.installation) agent.push(installationAgent(entry.installation));
  const entity = patientEntities(entry);
  return {
    resourceType: 'AuditEvent',
    id: entry.id,
    type,
    ...(subtype ? { subtype: [subtype] } : {}),
    action: 'E',
    period: { start: start.toISOString(), end: end.toISOString() },
    recorded: end.toISOString(),
    outcome: fhirOutcome(entry),
    ...(entry.code ? { outcomeDesc: entry.code } : {}),
    agent,
    source: {
      ...(source.site ? { site: source.site } : {}),
      observer: { display: source.observer },
      type: [source.kind === 'application-server' ? { system: SOURCE_TYPE, code: '4', display: 'Application Server' } : { system: SOURCE_TYPE, code: '1', display: 'User Device' }],
    },
    ...(entity.length > 0 ? { entity } : {}),
  };
}

/**
 * The desktop's extension installation that sent the request to the broker. In FHIR R4 (after DICOM and IHE) the
 * application a user acts through is an agent of its own, the Source Role ID, not the requestor; `source` is
 * whoever recorded the event (the broker). Added last, so agent[1] stays the partner for existing readers.
 */
function installationAgent(installation: string): FhirAuditEvent['agent'][number] {
  return {
    type: { coding: [{ system: DCM, code: '110153', display: 'Source Role ID' }] },
    who: { type: 'Device', identifier: { system: JWK_THUMBPRINT_SYSTEM, value: installation } },
    requestor: false,
  };
}

function patientEntity(nhsNumber: string, description?: string): NonNullable<FhirAuditEvent['entity']>[number] {
  return {
    what: { identifier: { system: NHS_NUMBER_SYSTEM, value: nhsNumber } },
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1', display: 'Person' },
    role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' },
    ...(description ? { description } : {}),
  };
}

/**
 * The patients: for a partner tab event both are patients of the same kind, so a description tells the one the
 * tab was opened for from the one the EHR shows now. Other events keep their single, undescribed entity.
 */
function patientEntities(entry: AuditEntry): NonNullable<FhirAuditEvent['entity']> {
  const tabEvent = (PARTNER_TAB_AUDIT_EVENTS as readonly string[]).includes(entry.event);
  const entities: NonNullable<FhirAuditEvent['entity']> = [];
  if (entry.nhsNumber) entities.push(patientEntity(entry.nhsNumber, tabEvent ? 'Patient the partner tab was opened for' : undefined));
  if (tabEvent && entry.nhsNumberNow) entities.push(patientEntity(entry.nhsNumberNow, 'Patient the EHR shows now'));
  return entities;
}

/** A FHIR R4 Bundle (type collection) of the entries as AuditEvent resources. */
export function auditBundle(entries: readonly StoredAuditEntry[], source: AuditSource, options: { id: string; now: Date }): FhirBundle {
  return {
    resourceType: 'Bundle',
    id: options.id,
    type: 'collection',
    timestamp: options.now.toISOString(),
    entry: entries.map((e) => ({ fullUrl: `urn:uuid:${e.id}`, resource: auditEventFor(e, source) })),
  };
}
