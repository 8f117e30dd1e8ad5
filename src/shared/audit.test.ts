import { describe, expect, it } from 'vitest';
import { auditBundle, auditCsv, auditEventFor, csvCell, fhirOutcome, isFailedOutcome, JWK_THUMBPRINT_SYSTEM, NHS_NUMBER_SYSTEM, OUTCOME_NOT_VISIBLE, PARTNER_TAB_EVENT_SYSTEM, type StoredAuditEntry } from './audit';

const launch: StoredAuditEntry = {
  id: '5f0c6a52-8a37-4c8e-9f4e-2a3f7d1b9c01',
  time: '2026-03-01T10:15:30.250Z',
  event: 'launch',
  clinician: 'dr.jones',
  partnerId: 'parchment',
  nhsNumber: '9990000018',
  outcome: 'ok',
  ms: 250,
};
const refused: StoredAuditEntry = { ...launch, id: 'a1', outcome: 'refused', code: 'patient-changed', ms: 40 };
const pair: StoredAuditEntry = { ...launch, id: 'b2', event: 'pair', nhsNumber: null, partnerId: 'pkb', outcome: 'error', code: 'internal' };
const source = { observer: 'EHR Launchpad 0.1.0' };
// A partner tab opened for one patient, once the EHR shows another.
const marked: StoredAuditEntry = { ...launch, id: 'c3', event: 'tab-marked', code: 'patient-changed', ms: 12, nhsNumberNow: '9990000026' };
const closedNoPatient: StoredAuditEntry = { ...launch, id: 'd4', event: 'tab-closed', code: 'ehr-closed', ms: 3, nhsNumberNow: null };
const relaunchRefused: StoredAuditEntry = { ...launch, id: 'e5', event: 'tab-relaunched', outcome: 'refused', code: 'patient-changed', ms: 80, nhsNumberNow: '9990000026' };
// A launch through the broker: it names the installation that asked (its DPoP key's RFC 7638 thumbprint).
const INSTALLATION = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';
const brokered: StoredAuditEntry = { ...launch, id: 'f6', identity: { verified: true, issuer: 'https://cis2.example.nhs.uk', subject: '555000000101', role: '555000000102' }, installation: INSTALLATION };

describe('audit CSV', () => {
  it('has a header and one row per entry, RFC 4180 line endings', () => {
    const csv = auditCsv([launch, refused]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('time,event,clinician,partner,nhsNumber,outcome,code,ms,id,identity,issuer,subject,role,nhsNumberNow');
    expect(lines[1]).toBe('2026-03-01T10:15:30.250Z,launch,dr.jones,parchment,9990000018,ok,,250,5f0c6a52-8a37-4c8e-9f4e-2a3f7d1b9c01,,,,,');
    expect(lines[2]).toContain(',refused,patient-changed,40,');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
  });

  it('says whether the clinician was verified, by whom, and the role used; never a token', () => {
    const verified = { ...launch, identity: { verified: true, issuer: 'https://cis2.example.nhs.uk', subject: '555000000101', role: '555000000102' } };
    const typed = { ...launch, identity: { verified: false } };
    const lines = auditCsv([verified, typed]).split('\r\n');
    expect(lines[1]).toMatch(/,verified,https:\/\/cis2\.example\.nhs\.uk,555000000101,555000000102,$/);
    expect(lines[2]).toMatch(/,typed,,,,$/);
  });

  it('gives partner tab events the patient the EHR shows now in a last column, leaving the earlier columns where they were', () => {
    const [header, ...rows] = auditCsv([launch, marked, closedNoPatient, relaunchRefused]).split('\r\n');
    const columns = header!.split(',');
    const cell = (row: string, name: string) => row.split(',')[columns.indexOf(name)];
    expect(columns.slice(0, 13).join(',')).toBe('time,event,clinician,partner,nhsNumber,outcome,code,ms,id,identity,issuer,subject,role');
    expect(columns.at(-1)).toBe('nhsNumberNow');
    for (const row of rows.slice(0, 4)) expect(row.split(',')).toHaveLength(columns.length);
    expect(rows[1]).toBe('2026-03-01T10:15:30.250Z,tab-marked,dr.jones,parchment,9990000018,ok,patient-changed,12,c3,,,,,9990000026');
    expect(cell(rows[2]!, 'event')).toBe('tab-closed');
    expect(cell(rows[2]!, 'code')).toBe('ehr-closed');
    expect(cell(rows[2]!, 'nhsNumberNow')).toBe('');
    expect(cell(rows[3]!, 'outcome')).toBe('refused');
    expect(cell(rows[3]!, 'nhsNumber')).toBe('9990000018');
    expect(cell(rows[3]!, 'nhsNumberNow')).toBe('9990000026');
  });

  it("gives the broker's export the installation in a last column, empty for an entry without one", () => {
    const [header, withId, without, end] = auditCsv([brokered, launch], { installationColumn: true }).split('\r\n');
    expect(header).toBe('time,event,clinician,partner,nhsNumber,outcome,code,ms,id,identity,issuer,subject,role,nhsNumberNow,installation');
    expect(withId).toBe(`2026-03-01T10:15:30.250Z,launch,dr.jones,parchment,9990000018,ok,,250,f6,verified,https://cis2.example.nhs.uk,555000000101,555000000102,,${INSTALLATION}`);
    expect(without).toBe('2026-03-01T10:15:30.250Z,launch,dr.jones,parchment,9990000018,ok,,250,5f0c6a52-8a37-4c8e-9f4e-2a3f7d1b9c01,,,,,,');
    expect(end).toBe('');
  });

  it('escapes the installation like every other cell: one starting with - is not run as a formula', () => {
    const rows = auditCsv([{ ...brokered, installation: '-Zt1' }, { ...brokered, installation: 'a,"b"' }], { installationColumn: true }).split('\r\n');
    expect(rows[1]!.endsWith(",'-Zt1")).toBe(true);
    expect(rows[2]!.endsWith(',"a,""b"""')).toBe(true);
  });

  it("leaves the extension's export as it was: no installation column, even for an entry that has one", () => {
    const [header, row] = auditCsv([brokered]).split('\r\n');
    expect(header!.split(',').at(-1)).toBe('nhsNumberNow');
    expect(row).not.toContain(INSTALLATION);
    expect(auditCsv([launch, refused], { installationColumn: false })).toBe(auditCsv([launch, refused]));
  });

  it('quotes commas, quotes and line breaks', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(' padded ')).toBe('" padded "');
  });

  it('defuses cells a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    // Numbers are written as numbers, and ordinary text is untouched.
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell('dr.jones')).toBe('dr.jones');
    const row = auditCsv([{ ...launch, clinician: '=cmd|calc' }]).split('\r\n')[1]!;
    expect(row).toContain(",'=cmd|calc,");
  });
});

describe('FHIR AuditEvent', () => {
  it('names a verified clinician by the provider\'s issuer and subject, with the SDS role profile used', () => {
    const event = auditEventFor({ ...launch, identity: { verified: true, issuer: 'https://cis2.example.nhs.uk', subject: '555000000101', role: '555000000102' } }, source);
    expect(event.agent[0]).toMatchObject({
      who: { identifier: { system: 'https://cis2.example.nhs.uk', value: '555000000101' }, display: 'dr.jones' },
      role: [{ coding: [{ system: 'https://fhir.nhs.uk/Id/sds-role-profile-id', code: '555000000102' }] }],
      requestor: true,
    });
  });


  it('maps outcomes to 0, 4, 8 and 12', () => {
    expect(fhirOutcome({ outcome: 'ok' })).toBe('0');
    expect(fhirOutcome({ outcome: 'refused', code: 'patient-changed' })).toBe('4');
    expect(fhirOutcome({ outcome: 'error', code: 'partner-down' })).toBe('8');
    expect(fhirOutcome({ outcome: 'error', code: 'internal' })).toBe('12');
  });

  it('exports a launch whose landing was not seen as sent (CSV) and as a success saying so (FHIR)', () => {
    const sent: StoredAuditEntry = { ...launch, id: 's1', outcome: 'sent', code: OUTCOME_NOT_VISIBLE };
    const [header, row] = auditCsv([sent]).split('\r\n');
    const columns = header!.split(',');
    expect(row!.split(',')[columns.indexOf('outcome')]).toBe('sent');
    expect(row!.split(',')[columns.indexOf('code')]).toBe('outcome-not-visible');
    expect(auditEventFor(sent, source)).toMatchObject({ outcome: '0', outcomeDesc: 'outcome-not-visible' });
    expect(isFailedOutcome('sent')).toBe(false);
    expect(isFailedOutcome('ok')).toBe(false);
    expect(isFailedOutcome('refused')).toBe(true);
    expect(isFailedOutcome('error')).toBe(true);
  });

  it('is a Bundle of type collection whose entries carry the required AuditEvent elements', () => {
    const bundle = auditBundle([launch, refused, pair], source, { id: 'bundle-1', now: new Date('2026-03-02T00:00:00Z') });
    expect(bundle).toMatchObject({ resourceType: 'Bundle', id: 'bundle-1', type: 'collection', timestamp: '2026-03-02T00:00:00.000Z' });
    expect(bundle.entry).toHaveLength(3);
    for (const { fullUrl, resource } of bundle.entry) {
      expect(fullUrl).toBe(`urn:uuid:${resource.id}`);
      expect(resource.resourceType).toBe('AuditEvent');
      // R4 AuditEvent cardinalities: type 1..1, recorded 1..1, agent 1..* each with requestor 1..1, source 1..1 with observer 1..1.
      expect(resource.type.system).toMatch(/^http/);
      expect(resource.type.code).toMatch(/^\d+$/);
      expect(resource.recorded).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
      expect(resource.agent.length).toBeGreaterThan(0);
      for (const agent of resource.agent) expect(typeof agent.requestor).toBe('boolean');
      expect(resource.agent.filter((a) => a.requestor)).toHaveLength(1);
      expect(resource.source.observer.display).toBe('EHR Launchpad 0.1.0');
      expect(['0', '4', '8', '12']).toContain(resource.outcome);
      expect(['C', 'R', 'U', 'D', 'E']).toContain(resource.action);
    }
    // Nothing but these keys: no token, secret or URL can ride along.
    expect(JSON.stringify(bundle)).not.toMatch(/token|secret|https?:\/\/127/i);
  });

  it('names the clinician as requestor, the partner as destination and the patient by NHS number', () => {
    const event = auditEventFor(launch, source);
    expect(event.type).toEqual({ system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110110', display: 'Patient Record' });
    expect(event.agent[0]).toMatchObject({ who: { identifier: { value: 'dr.jones' } }, requestor: true });
    expect(event.agent[1]).toMatchObject({ who: { display: 'parchment' }, requestor: false });
    expect(event.entity).toEqual([
      expect.objectContaining({ what: { identifier: { system: NHS_NUMBER_SYSTEM, value: '9990000018' } }, role: expect.objectContaining({ code: '1', display: 'Patient' }) }),
    ]);
    expect(event.period).toEqual({ start: '2026-03-01T10:15:30.000Z', end: '2026-03-01T10:15:30.250Z' });
    expect(event.outcomeDesc).toBeUndefined();
  });

  it('says what recorded the event: the clinician\'s device by default, a server when the broker did', () => {
    const securitySourceType = 'http://terminology.hl7.org/CodeSystem/security-source-type';
    expect(auditEventFor(launch, source).source.type).toEqual([{ system: securitySourceType, code: '1', display: 'User Device' }]);
    expect(auditEventFor(launch, { ...source, kind: 'application-server' }).source.type).toEqual([{ system: securitySourceType, code: '4', display: 'Application Server' }]);
  });

  it('names the installation that asked the broker as a device agent (DICOM Source Role ID) by its key thumbprint, after the partner', () => {
    const event = auditEventFor(brokered, source);
    expect(event.agent).toHaveLength(3);
    expect(event.agent[0]).toMatchObject({ who: { identifier: { system: 'https://cis2.example.nhs.uk', value: '555000000101' } }, requestor: true });
    expect(event.agent[1]).toMatchObject({ who: { display: 'parchment' }, requestor: false });
    expect(event.agent[2]).toEqual({
      type: { coding: [{ system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110153', display: 'Source Role ID' }] },
      who: { type: 'Device', identifier: { system: 'urn:ietf:rfc:7638', value: INSTALLATION } },
      requestor: false,
    });
    // Still one requestor (the clinician), and the source is still whoever recorded the event.
    expect(event.agent.filter((a) => a.requestor)).toHaveLength(1);
    expect(event.source).toEqual(auditEventFor(launch, source).source);
    // An event with no partner names the installation right after the clinician.
    expect(auditEventFor({ ...brokered, event: 'sign-out', partnerId: '' }, source).agent.map((a) => a.type?.coding[0]?.code)).toEqual(['IRCP', '110153']);
  });

  it("adds no device agent to the extension's own entries, which have no installation", () => {
    expect(auditEventFor(launch, source).agent).toHaveLength(2);
    expect(auditEventFor({ ...launch, installation: '' }, source).agent).toHaveLength(2);
    expect(JSON.stringify(auditBundle([launch, refused, pair, marked], source, { id: 'b', now: new Date(0) }))).not.toContain(JWK_THUMBPRINT_SYSTEM);
  });

  it('codes pairing as a login, says why a refusal happened, and leaves out the patient when there is none', () => {
    const event = auditEventFor(pair, source);
    expect(event.type.code).toBe('110114');
    expect(event.subtype).toEqual([{ system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110122', display: 'Login' }]);
    expect(event.entity).toBeUndefined();
    expect(auditEventFor(refused, source)).toMatchObject({ outcome: '4', outcomeDesc: 'patient-changed' });
    const unknown = auditEventFor({ ...launch, clinician: null }, source);
    expect(unknown.agent[0]).toMatchObject({ name: 'unknown clinician', requestor: true });
  });

  it('names both patients of a partner tab event: the one the tab was opened for, and the one the EHR shows now', () => {
    const event = auditEventFor(marked, source);
    expect(event.type).toEqual({ system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110110', display: 'Patient Record' });
    expect(event.subtype).toEqual([expect.objectContaining({ system: PARTNER_TAB_EVENT_SYSTEM, code: 'tab-marked' })]);
    expect(event).toMatchObject({ outcome: '0', outcomeDesc: 'patient-changed', action: 'E' });
    expect(event.agent[1]).toMatchObject({ who: { display: 'parchment' }, requestor: false });
    expect(event.entity).toHaveLength(2);
    expect(event.entity![0]).toMatchObject({ what: { identifier: { system: NHS_NUMBER_SYSTEM, value: '9990000018' } }, role: { code: '1', display: 'Patient' }, description: 'Patient the partner tab was opened for' });
    expect(event.entity![1]).toMatchObject({ what: { identifier: { system: NHS_NUMBER_SYSTEM, value: '9990000026' } }, role: { code: '1', display: 'Patient' }, description: 'Patient the EHR shows now' });
  });

  it('codes each partner tab event apart, and names one patient when the EHR shows none', () => {
    const codes = (['tab-marked', 'tab-closed', 'tab-followed', 'tab-relaunched'] as const).map((e) => auditEventFor({ ...marked, event: e }, source).subtype?.[0]?.code);
    expect(codes).toEqual(['tab-marked', 'tab-closed', 'tab-followed', 'tab-relaunched']);
    const closed = auditEventFor(closedNoPatient, source);
    expect(closed.entity).toEqual([expect.objectContaining({ description: 'Patient the partner tab was opened for' })]);
    expect(auditEventFor(relaunchRefused, source)).toMatchObject({ outcome: '4', outcomeDesc: 'patient-changed', subtype: [{ code: 'tab-relaunched' }] });
  });

  it('leaves the events it had before as they were: one undescribed patient, no second one', () => {
    const event = auditEventFor({ ...launch, nhsNumberNow: '9990000026' }, source);
    expect(event.entity).toEqual([
      {
        what: { identifier: { system: NHS_NUMBER_SYSTEM, value: '9990000018' } },
        type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1', display: 'Person' },
        role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' },
      },
    ]);
    expect(event.subtype).toBeUndefined();
  });
});
