import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATIENTS } from './fixtures';
import { startSandbox } from './server';
import type { Sandbox } from './server';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ quiet: true });
});
afterAll(async () => {
  await sandbox.close();
});

const page = async (path: string) => {
  const response = await fetch(`${sandbox.urls.ehr}${path}`);
  return { status: response.status, html: await response.text(), type: response.headers.get('content-type') };
};

describe('demo EHR', () => {
  it('lists every patient with a link to the patient view', async () => {
    const { status, html } = await page('/');
    expect(status).toBe(200);
    for (const patient of PATIENTS) expect(html).toContain(`href="/patients/${patient.nhsNumber}"`);
    expect(html).toContain('<table');
  });

  it('renders the patient banner exactly', async () => {
    const { status, html, type } = await page('/patients/9990000018');
    expect(status).toBe(200);
    expect(type).toContain('text/html');
    expect(html).toContain(`<section id="patient-banner" class="patient-banner" aria-label="Patient banner">
  <table><tbody><tr>
    <th>Name</th><td class="pt-name">SMITH, John (Mr)</td>
    <th>NHS No</th><td class="pt-nhs">999 000 0018</td>
    <th>DOB</th><td class="pt-dob">12-Mar-1985</td>
    <th>Gender</th><td>Male</td>
  </tr></tbody></table>
</section>`);
    expect(html.match(/id="patient-banner"/g)).toHaveLength(1);
  });

  it('HTML-escapes names with apostrophes and keeps non-ASCII characters', async () => {
    const { html } = await page('/patients/9991234578');
    expect(html).toContain('<td class="pt-name">O&#39;BRIEN-SMITH, Zoë (Ms)</td>');
    expect(html).toContain('<td class="pt-dob">04-Jul-1992</td>');
    expect(html).toContain('<td>Female</td>');
  });

  it('is a realistic page of at least 3,000 elements, identical on every load', async () => {
    for (const patient of PATIENTS) {
      const { html } = await page(`/patients/${patient.nhsNumber}`);
      const elements = html.match(/<[a-zA-Z][^>]*>/g) ?? [];
      expect(elements.length, patient.nhsNumber).toBeGreaterThanOrEqual(3000);
      expect(html).not.toMatch(/<script|<link |src="http/);
    }
    const first = await page('/patients/9992469137');
    const second = await page('/patients/9992469137');
    expect(first.html).toBe(second.html);
  });

  it('answers 404 for unknown patients and pages', async () => {
    expect((await page('/patients/9990000026')).status).toBe(404);
    expect((await page('/patients/<script>')).html).not.toContain('<script>');
    expect((await page('/nowhere')).status).toBe(404);
  });

  it('answers 405 for other methods', async () => {
    const response = await fetch(`${sandbox.urls.ehr}/`, { method: 'POST' });
    expect(response.status).toBe(405);
  });
});
