import { readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PATIENTS } from '../sandbox/fixtures';
import { sandboxExtensionConfig } from '../sandbox/extension-config';
import { expect, test } from './fixtures';
import { EhrPage } from './pages/ehr-page';
import { OptionsPage } from './pages/extension-pages';
import { ServiceWorkerInternals } from './pages/service-worker-internals';
import { switchToZoeAsTheClickLands } from './pages/switch-patient';

const [john, zoe] = [PATIENTS[0]!, PATIENTS[1]!];

/** A one-file audit receiver: records every POST (headers and JSON body) it accepts, with 201 or a set status. */
async function auditSink() {
  const received: { path: string; headers: IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
  const sink = { status: 201, refused: 0 };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      if (sink.status !== 201) {
        sink.refused += 1;
        res.writeHead(sink.status).end();
        return;
      }
      received.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(body || '{}') as Record<string, unknown> });
      res.writeHead(201, { 'content-type': 'application/fhir+json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/fhir/AuditEvent`, received, sink, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test('the audit trail shows a launch and a refusal, filters by outcome, exports CSV and FHIR, and forwards each event', async ({ context, sandbox, setUpExtension }) => {
  const sink = await auditSink();
  try {
    await setUpExtension({ config: { ...sandboxExtensionConfig(sandbox), auditForwarding: { enabled: true, endpoint: sink.url } } });
    const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
    await ehr.openPatient(john.nhsNumber);
    const portal = await ehr.launch('Open John Smith in Parchment');
    await expect(portal.getByTestId('patient-nhs')).toHaveText(john.nhsNumber);
    // Closed, so the patient change below marks no partner tab (that has its own audit event and spec).
    await portal.close();

    // A refused launch: the patient changes in place as the click lands (on the button's release, in the click's
    // own task, so the bar cannot redraw first however busy the machine is).
    await ehr.page.bringToFront();
    const bar = await ehr.bar.waitForButton('Open John Smith in Parchment');
    const box = await ehr.bar.settle(bar.buttons.find((b) => b.name === 'Open John Smith in Parchment')!.name);
    await switchToZoeAsTheClickLands(ehr.page, zoe.nhsNumber);
    await ehr.page.mouse.click(box.x, box.y);
    await ehr.bar.waitForStatus(/nothing was opened/);

    const options = await OptionsPage.open(context);
    const table = options.page.getByTestId('audit-table');
    await expect(table.locator('tbody tr')).toHaveCount(2);
    // Newest first: the refusal, then the launch.
    await expect(table.locator('tbody tr').nth(0)).toContainText('refused (patient-changed)');
    await expect(table.locator('tbody tr').nth(1)).toContainText('999 000 0018');
    await expect(table.locator('tbody tr').nth(1)).toContainText('succeeded');
    await expect(table.locator('tbody tr').nth(1)).toContainText('dr.jones');
    await expect(table.locator('tbody tr').nth(1)).toContainText('parchment');

    await options.page.getByLabel('Show').selectOption('refused');
    await expect(table.locator('tbody tr')).toHaveCount(1);
    await options.page.getByLabel('Show').selectOption('all');

    const [csvDownload] = await Promise.all([options.page.waitForEvent('download'), options.page.getByRole('button', { name: 'Export as CSV' }).click()]);
    const csv = await readFile(await csvDownload.path(), 'utf8');
    const rows = csv.trim().split('\r\n');
    expect(rows[0]).toBe('time,event,clinician,partner,nhsNumber,outcome,code,ms,id,identity,issuer,subject,role,nhsNumberNow');
    expect(rows).toHaveLength(3);
    // The refusal names the patient only if the engine knew one before refusing.
    expect(rows[1]).toMatch(/,launch,dr\.jones,parchment,(9990000018)?,refused,patient-changed,\d+,/);
    expect(rows[2]).toMatch(/,launch,dr\.jones,parchment,9990000018,ok,,\d+,/);

    const [fhirDownload] = await Promise.all([options.page.waitForEvent('download'), options.page.getByRole('button', { name: /Export as FHIR/ }).click()]);
    const bundle = JSON.parse(await readFile(await fhirDownload.path(), 'utf8')) as { resourceType: string; type: string; entry: { resource: Record<string, any> }[] };
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(bundle.entry.map((e) => e.resource.outcome)).toEqual(['4', '0']);
    for (const { resource } of bundle.entry) {
      expect(resource).toMatchObject({ resourceType: 'AuditEvent', type: { code: '110110' }, source: { observer: { display: expect.stringContaining('EHR Launchpad') } } });
      expect(resource.agent[0]).toMatchObject({ requestor: true, who: { identifier: { value: 'dr.jones' } } });
    }
    expect(bundle.entry[1]!.resource.entity[0].what.identifier).toEqual({ system: 'https://fhir.nhs.uk/Id/nhs-number', value: john.nhsNumber });

    // Forwarding: each event was POSTed to the organisation's endpoint as a FHIR AuditEvent.
    await expect.poll(() => sink.received.length).toBe(2);
    for (const request of sink.received) {
      expect(request.path).toBe('/fhir/AuditEvent');
      expect(request.headers['content-type']).toBe('application/fhir+json');
      expect(request.body).toMatchObject({ resourceType: 'AuditEvent', agent: [{ requestor: true, who: { identifier: { value: 'dr.jones' } } }, { requestor: false }] });
    }
    expect(sink.received.map((r) => r.body.outcome).sort()).toEqual(['0', '4']);
    await expect(options.page.getByTestId('audit-forwarding')).toContainText(sink.url);
  } finally {
    await sink.close();
  }
});

test('an audit event the endpoint cannot take yet waits in the outbox, survives the worker being stopped, and is sent on the retry', async ({ context, sandbox, setUpExtension }) => {
  test.setTimeout(120_000);
  const sink = await auditSink();
  try {
    sink.sink.status = 503;
    await setUpExtension({ config: { ...sandboxExtensionConfig(sandbox), auditForwarding: { enabled: true, endpoint: sink.url } } });
    const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
    await ehr.openPatient(john.nhsNumber);
    await ehr.launch('Open John Smith in Parchment');
    await expect.poll(() => sink.sink.refused).toBeGreaterThan(0);

    const options = await OptionsPage.open(context);
    await expect(options.page.getByTestId('audit-forwarding')).toContainText('1 waiting to be sent');
    await expect(options.page.getByTestId('audit-forwarding')).toContainText('HTTP 503');
    await options.page.close();

    // The worker is stopped (as the browser does when it is idle); the endpoint recovers meanwhile.
    const internals = await ServiceWorkerInternals.open(context);
    await internals.stop();
    sink.sink.status = 201;
    // The retry alarm (30 s after the failure) wakes the worker, which sends what the outbox kept.
    await expect.poll(() => sink.received.length, { timeout: 75_000, intervals: [1000] }).toBe(1);
    expect(sink.received[0]!.body).toMatchObject({ resourceType: 'AuditEvent', outcome: '0', entity: [{ what: { identifier: { value: john.nhsNumber } } }] });
  } finally {
    await sink.close();
  }
});
