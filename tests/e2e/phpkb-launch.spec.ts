import { createHash } from 'node:crypto';
import { PHPKB } from '../sandbox/fixtures';
import { expect, test, type Fixtures } from './fixtures';
import { EhrPage } from './pages/ehr-page';
import { OptionsPage, PopupPage } from './pages/extension-pages';

const BUTTON = 'Open John Smith in Knowledge base';
const JOHN = '9990000018';

interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
}

async function ssoRequests(control: Fixtures['control']): Promise<RecordedRequest[]> {
  return (await control('phpkb', 'requests?path=/sso.php')) as RecordedRequest[];
}

test('a click signs the clinician in to the knowledge base', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension();
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(JOHN);
  const kb = await ehr.launch(BUTTON);
  expect(new URL(kb.url()).origin).toBe(sandbox.phpkb);
  await expect(kb.getByTestId('signed-in-username')).toHaveText('dr.jones');
  await expect(kb.getByTestId('hash-verified')).toHaveText('true');
  await expect(kb.getByTestId('timestamp-age-s')).toHaveText(/^\d+$/);
});

test('names and emails with & = + / quotes and non-ASCII letters sign in, and the hash is exactly the documented one', async ({ context, sandbox, setUpExtension, control }) => {
  await setUpExtension({ skipClinician: true });
  await control('phpkb', 'requests', { method: 'DELETE' });
  const popup = await PopupPage.open(context);
  const profile = { displayName: 'Zoë O\'Brien-Smith & "Co" = A+B / Ward 3', username: "zoe.o'brien", email: "zoe.o'brien+kb@example.org" };
  expect(await popup.saveProfile(profile)).toContain('Profile saved');
  await popup.page.close();

  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(JOHN);
  const kb = await ehr.launch(BUTTON);
  await expect(kb.getByTestId('signed-in-name')).toHaveText(profile.displayName);
  await expect(kb.getByTestId('signed-in-email')).toHaveText(profile.email);
  await expect(kb.getByTestId('signed-in-username')).toHaveText(profile.username);

  // Checked independently of both the extension and the simulator: sha256(base64 query + secret), lowercase hex.
  const [signIn] = (await ssoRequests(control)).filter((r) => r.query.mode === 'login');
  const query = signIn!.query.query!;
  expect(signIn!.query.hash).toBe(createHash('sha256').update(query + PHPKB.settings.secretToken).digest('hex'));
  const fields = new URLSearchParams(Buffer.from(query, 'base64').toString('utf8'));
  expect(fields.get('name')).toBe(profile.displayName);
  expect(fields.get('email')).toBe(profile.email);
  expect(fields.get('groups')).toBe('3');
  expect(Number(fields.get('t'))).toBeGreaterThan(Date.now() / 1000 - 60);
});

const refusals: { title: string; setup: (control: Fixtures['control'], context: Fixtures['context']) => Promise<void>; code: string; sentence: RegExp }[] = [
  {
    title: 'a wrong secret',
    setup: async (_control, context) => {
      const options = await OptionsPage.open(context);
      await options.setSecret('knowledge-base', 'secretToken', 'NOT-THE-SECRET');
      await options.page.close();
    },
    code: '401E1',
    sentence: /could not verify the sign-in \(401E1/,
  },
  {
    title: 'an old timestamp (desktop clock behind)',
    setup: async (control) => void (await control('phpkb', 'settings', { body: { clockOffsetSeconds: 600 } })),
    code: '400E3',
    sentence: /sign-in link was too old \(400E3\).*clock/,
  },
  {
    title: 'an unknown user with auto-create off',
    setup: async (control) => void (await control('phpkb', 'settings', { body: { autoCreate: false, users: [] } })),
    code: '404E2',
    sentence: /no knowledge base account .*\(404E2\)/,
  },
  {
    title: 'SSO switched off',
    setup: async (control) => void (await control('phpkb', 'settings', { body: { enabled: false } })),
    code: '503E1',
    sentence: /switched off \(503E1\)/,
  },
  {
    title: 'a referrer domain the KB does not allow',
    setup: async (control) => void (await control('phpkb', 'settings', { body: { domainsAllowed: ['ehr.example-trust.nhs.uk'] } })),
    code: '401E2',
    sentence: /\(401E2: domain not allowed\)/,
  },
  {
    title: 'an inactive account',
    setup: async (control) =>
      void (await control('phpkb', 'settings', {
        body: { users: [{ username: 'dr.jones', name: 'Dr Alice Jones', email: 'alice.jones@riverside.example.nhs.uk', groups: [2], active: false }] },
      })),
    code: '404E1',
    sentence: /inactive \(404E1\)/,
  },
  {
    title: 'a database error',
    setup: async (control) => void (await control('phpkb', 'settings', { body: { databaseDown: true } })),
    code: '500E1',
    sentence: /database problem \(500E1\)/,
  },
];

for (const refusal of refusals) {
  test(`${refusal.title} shows ${refusal.code} as a readable sentence and opens no tab`, async ({ context, sandbox, setUpExtension, control }) => {
    await setUpExtension();
    await refusal.setup(control, context);
    await control('phpkb', 'requests', { method: 'DELETE' });
    const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
    await ehr.openPatient(JOHN);
    const bar = await ehr.launchRefused(BUTTON, refusal.sentence);
    expect(bar.status).not.toContain(PHPKB.settings.secretToken);
    expect(bar.status).not.toMatch(/hash=|query=|sso\.php/);
    const requests = await ssoRequests(control);
    expect(requests.map((r) => r.status)).toEqual([Number(refusal.code.slice(0, 3))]);
  });
}

test('sign-out in the popup ends the knowledge base session by POST and forgets the profile', async ({ context, sandbox, setUpExtension, control }) => {
  await setUpExtension();
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(JOHN);
  const kb = await ehr.launch(BUTTON);
  await expect(kb.getByTestId('signed-in-username')).toHaveText('dr.jones');

  await control('phpkb', 'requests', { method: 'DELETE' });
  const popup = await PopupPage.open(context);
  await popup.page.getByRole('button', { name: 'Sign out' }).click();
  await expect(popup.page.getByTestId('sign-out-result')).toHaveText('Signed out of EHR Launchpad and its partners.');
  const logout = (await ssoRequests(control)).filter((r) => r.query.mode === 'logout');
  expect(logout.map((r) => [r.method, r.status])).toEqual([['POST', 200]]);
  await expect(popup.page.getByLabel('Username', { exact: true })).toHaveValue('');

  await kb.reload();
  await expect(kb.getByTestId('not-signed-in')).toBeVisible();
});
