import { SANDBOX_SECRETS, sandboxExtensionConfig } from '../sandbox/extension-config';
import { CLINICIANS, PATIENTS } from '../sandbox/fixtures';
import { ORG_IDP } from '../sandbox/org-idp-fixtures';
import { BrokerProcess } from './broker-process';
import { expect, test } from './fixtures';
import { EhrPage } from './pages/ehr-page';
import { OptionsPage, PopupPage } from './pages/extension-pages';

const john = PATIENTS[0]!;
const zoe = PATIENTS[1]!;
const jones = ORG_IDP.users.find((u) => u.username === 'dr.jones')!;

test.setTimeout(120_000);

test('Parchment, the knowledge base and Black Pear launch through the broker with no secret on this computer; a partner the broker does not list is refused before asking; a stopped broker is said plainly and recovers', async ({ context, sandbox, setUpExtension, control }) => {
  const broker = await BrokerProcess.start(sandbox);
  try {
    const base = sandboxExtensionConfig(sandbox);
    const config = {
      ...base,
      broker: { url: broker.url },
      partners: [
        ...base.partners.map((p) => (['parchment', 'knowledge-base', 'black-pear'].includes(p.id) ? { ...p, via: 'broker' } : p)),
        // Sent through the broker, which does not launch it (not in its document): refused here, before asking.
        { ...base.partners.find((p) => p.id === 'knowledge-base')!, id: 'staff-wiki', label: 'Staff wiki', via: 'broker' },
      ],
    };
    await setUpExtension({ config, skipSecrets: true, skipClinician: true });
    // Black Pear enrols the broker's published JWKS URL, not each desktop's key.
    await control('black-pear', 'settings', { body: { jwks: [], jwksUrls: [`${broker.url}/.well-known/jwks.json`] } });

    const popup = await PopupPage.open(context);
    await expect(popup.page.getByTestId('broker-health')).toHaveText("Your organisation's launch broker is answering.");
    await expect(popup.page.getByTestId('via-broker-parchment')).toContainText('through your organisation');
    await popup.signInWithOrganisation(jones.username, jones.password);
    // What the broker says this clinician may launch (GET /v1/partners), and the partner it does not list.
    await popup.page.reload();
    await expect(popup.page.getByTestId('broker-listed')).toHaveText('The broker lets you launch: Parchment, Knowledge base, Black Pear.');
    await expect(popup.page.getByTestId('broker-not-listed-staff-wiki')).toBeVisible();
    await expect(popup.page.getByTestId('broker-not-listed-parchment')).toHaveCount(0);

    const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
    await ehr.openPatient(john.nhsNumber);
    const parchment = await ehr.launch('Open John Smith in Parchment');
    await expect(parchment.getByTestId('signed-in-user')).toHaveText(`Dr Alice Jones (${CLINICIANS[0]!.parchmentUserId})`);
    await expect(parchment.getByTestId('patient-nhs')).toHaveText(john.nhsNumber);
    await parchment.close();
    const kb = await ehr.launch('Open John Smith in Knowledge base');
    await expect(kb.getByTestId('signed-in-username')).toHaveText(jones.uid);
    await kb.close();
    const blackPear = await ehr.launch('Open John Smith in Black Pear');
    await expect(blackPear.getByTestId('patient-nhs')).toHaveText(john.nhsNumber);
    await expect(blackPear.getByTestId('user-name')).toHaveText('Dr Alice Jones');
    await blackPear.close();
    await ehr.launchRefused('Open John Smith in Staff wiki', /launch broker does not offer Staff wiki to you/);

    // The administrator's view: the broker, its partners, its health, and this installation's id to enrol.
    const options = await OptionsPage.open(context);
    await expect(options.page.getByTestId('broker-ready')).toHaveText('Answering and ready.');
    await expect(options.page.getByTestId('broker-partners')).toHaveText('Parchment, Knowledge base, Black Pear, Staff wiki');
    await expect(options.page.getByTestId('broker-listed')).toHaveText('Parchment, Knowledge base, Black Pear');
    await expect(options.page.getByTestId('broker-installation')).toHaveText(/^[A-Za-z0-9_-]{43}$/);
    await options.page.close();

    // The broker goes away mid-session: a clear message, no tab; back again: launches work.
    await broker.stop();
    await ehr.launchRefused('Open John Smith in Parchment', /launch broker could not be reached/);
    await broker.resume();
    const again = await ehr.launch('Open John Smith in Parchment');
    await expect(again.getByTestId('patient-nhs')).toHaveText(john.nhsNumber);

    // Stopped first: the broker writes what its log still holds as it exits.
    await broker.stop();
    expect(broker.log()).toContain('"route":"/v1/launch","status":200');
    for (const secret of SANDBOX_SECRETS) expect(broker.log()).not.toContain(secret.value);
  } finally {
    await broker.stop();
  }
});

test('an eager prefetch through the broker: one Parchment token asked for when a patient is shown, another for the next patient, and the click spends the current one', async ({ context, sandbox, setUpExtension, control }) => {
  const broker = await BrokerProcess.start(sandbox);
  try {
    const base = sandboxExtensionConfig(sandbox);
    const config = { ...base, broker: { url: broker.url }, partners: base.partners.map((p) => (p.id === 'parchment' ? { ...p, via: 'broker', prefetch: 'eager' } : p)) };
    await setUpExtension({ config, skipSecrets: true, skipClinician: true });
    const popup = await PopupPage.open(context);
    await popup.signInWithOrganisation(jones.username, jones.password);
    await popup.page.close();
    // Parchment's request log, from here on: each SSO token the broker asks for on this installation's behalf.
    await control('parchment-api', 'requests', { method: 'DELETE' });
    const asked = async () => ((await control('parchment-api', 'requests')) as { path: string }[]).filter((r) => r.path === '/external/v1/sso').length;

    const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
    await ehr.openPatient(john.nhsNumber);
    await expect.poll(asked).toBe(1);
    // Another patient: what was fetched for John is dropped, and the broker is asked again for Zoë.
    await ehr.openPatient(zoe.nhsNumber);
    await expect.poll(asked).toBe(2);
    const parchment = await ehr.launch("Open Zoë O'Brien-Smith in Parchment");
    await expect(parchment.getByTestId('patient-nhs')).toHaveText(zoe.nhsNumber);
    await expect(parchment.getByTestId('signed-in-user')).toHaveText(`Dr Alice Jones (${CLINICIANS[0]!.parchmentUserId})`);
    // The click spent the prefetched launch: nothing more was asked of the broker or Parchment.
    expect(await asked()).toBe(2);
  } finally {
    await broker.stop();
  }
});
