import { PATIENTS } from '../sandbox/fixtures';
import { EXTENSION_ID } from './browser';
import { expect, test } from './fixtures';
import { EhrPage } from './pages/ehr-page';

const john = PATIENTS[0]!;

test('the launch still works when the service worker was stopped between page load and click', async ({ context, sandbox, setUpExtension, worker }) => {
  await setUpExtension();
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  await ehr.bar.waitForButton('Open John Smith in Parchment');

  // Stop the extension's service worker the way the browser does when it is idle.
  const stopped = new Promise<void>((resolve) => worker.once('close', () => resolve()));
  const cdp = await context.newCDPSession(ehr.page);
  const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; url: string }[] };
  const target = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${EXTENSION_ID}/`));
  expect(target, 'the extension service worker target').toBeTruthy();
  await cdp.send('Target.closeTarget', { targetId: target!.targetId });
  await stopped;
  expect(context.serviceWorkers().filter((w) => w.url().includes(EXTENSION_ID))).toHaveLength(0);

  const opened = context.waitForEvent('page');
  await ehr.bar.click('Open John Smith in Parchment');
  const portal = await opened;
  await portal.waitForLoadState('domcontentloaded');
  await expect(portal.getByTestId('patient-nhs')).toHaveText(john.nhsNumber);
  await expect(portal.getByTestId('signed-in-user')).toContainText('Dr Alice Jones');
});
