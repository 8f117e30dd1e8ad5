import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPage } from '../../scripts/detect/read-page';
import { serveFolder, type StaticServer } from '../../scripts/detect/static-server';
import { runCorpus } from '../../scripts/corpus-run';
import type { CorpusCase } from '../corpus/score';
import { sandboxExtensionConfig, type SandboxUrls } from '../sandbox/extension-config';
import { PATIENTS } from '../sandbox/fixtures';
import { expect, test } from './fixtures';
import { EhrPage } from './pages/ehr-page';

/**
 * The generic reader through the real extension (no profile): the demo EHR's classic page, the hostile pages
 * that draw a patient the DOM does not hold or hide a second one in a closed shadow root, and a representative
 * third of the detection corpus (every page that needs a browser, and every third of the others).
 */

const john = PATIENTS[0]!;
const corpusDir = join(import.meta.dirname, '..', 'corpus');
const cases = JSON.parse(readFileSync(join(corpusDir, 'cases.json'), 'utf8')) as CorpusCase[];
const representative = cases.filter((c, i) => (c.needs ?? []).includes('browser') || i % 3 === 0);

function genericConfig(sandbox: SandboxUrls, extraOrigins: string[] = []) {
  const config = sandboxExtensionConfig(sandbox) as { ehrSites: Array<{ origin: string; profile: string }> };
  return { ...config, ehrSites: [...config.ehrSites.map((site) => ({ ...site, profile: 'generic' })), ...extraOrigins.map((origin) => ({ origin, profile: 'generic' }))] };
}

const messages = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'public', '_locales', 'en', 'messages.json'), 'utf8')) as Record<string, { message?: string }>;

test.describe('generic reader on the demo EHR', () => {
  test.beforeEach(async ({ setUpExtension, sandbox }) => setUpExtension({ config: genericConfig(sandbox) }));

  test('reads the classic page with no profile and launches that patient', async ({ context, sandbox }) => {
    const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
    await ehr.openPatient(john.nhsNumber);
    const bar = await ehr.bar.waitForButton('Open John Smith in Parchment');
    expect(bar.text).toContain('999 000 0018');
    const tab = await ehr.launch('Open John Smith in Parchment');
    await expect(tab.getByTestId('patient-nhs')).toHaveText(john.nhsNumber);
  });

  for (const [kind, why] of [
    ['drawn', /hidden from view|drawn by the page's style sheet|No NHS number/],
    ['closed-shadow', /different NHS numbers|list of/],
  ] as const) {
    test(`a hostile page (${kind}) gives no patient`, { tag: '@hostile' }, async ({ context, sandbox }) => {
      const result = await readPage(context, messages, kind, `${sandbox.ehr}/hostile/${kind}/${john.nhsNumber}`, 3_000);
      expect(result.patient).toBeNull();
      expect(result.reason).toMatch(why);
    });
  }
});

test.describe('generic reader on the detection corpus', () => {
  let server: StaticServer;
  test.beforeAll(async () => {
    server = await serveFolder(join(corpusDir, 'pages'));
  });
  test.afterAll(async () => server.close());

  test(`reads ${representative.length} corpus pages as expected, with no wrong patient`, async ({ context, sandbox, setUpExtension }) => {
    test.setTimeout(240_000);
    await setUpExtension({ config: genericConfig(sandbox, [server.origin]) });
    const score = await runCorpus(context, server.origin, representative);
    const misses = score.rows.filter((row) => row.verdict !== 'right').map((row) => `${row.file}: ${row.verdict} (${row.detail})`);
    expect(misses.filter((m) => m.includes('wrong-patient'))).toEqual([]);
    expect(misses).toEqual([]);
  });
});
