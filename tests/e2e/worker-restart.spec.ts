import { PATIENTS } from '../sandbox/fixtures';
import { expect, test } from './fixtures';
import { EhrPage } from './pages/ehr-page';
import { extensionUrl } from './pages/extension-pages';
import { ServiceWorkerInternals } from './pages/service-worker-internals';

const john = PATIENTS[0]!;

test('the launch still works when the service worker was stopped between page load and click', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension();
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  await ehr.bar.waitForButton('Open John Smith in Parchment');

  const internals = await ServiceWorkerInternals.open(context);
  expect(await internals.runningStatus()).toBe('RUNNING');
  await internals.stop();
  expect(await internals.runningStatus()).toBe('STOPPED');

  await ehr.page.bringToFront();
  const portal = await ehr.launch('Open John Smith in Parchment');
  await expect(portal.getByTestId('patient-nhs')).toHaveText(john.nhsNumber);
  await expect(portal.getByTestId('signed-in-user')).toContainText('Dr Alice Jones');
  // The click woke the worker again.
  expect(await internals.runningStatus()).toBe('RUNNING');
});

test('the per-tab patient context survives the worker being stopped (it lives in storage.session)', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension();
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  await ehr.bar.waitForButton('Open John Smith in Parchment');
  const internals = await ServiceWorkerInternals.open(context);
  await internals.stop();

  // Ask the woken worker, from an extension page, what it knows about each tab.
  const popup = await context.newPage();
  await popup.goto(extensionUrl('src/popup/index.html'));
  const known = await popup.evaluate(async () => {
    const tabs = await chrome.tabs.query({});
    const answers = await Promise.all(tabs.map((t) => chrome.runtime.sendMessage({ type: 'status.get', payload: { tabId: t.id } })));
    return answers.map((a) => a?.data?.tab?.context?.nhsNumber).filter(Boolean);
  });
  expect(known).toEqual([john.nhsNumber]);
});

test('a banner read from a cross-origin frame still launches after the worker was stopped (frame readings live in storage.session)', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension();
  const priya = PATIENTS[2]!;
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.page.goto(`${sandbox.ehr}/patients/${priya.nhsNumber}?layout=xframe`);
  await ehr.bar.waitForButton('Open Priya Patel in Parchment');

  const internals = await ServiceWorkerInternals.open(context);
  await internals.stop();
  expect(await internals.runningStatus()).toBe('STOPPED');

  await ehr.page.bringToFront();
  const portal = await ehr.launch('Open Priya Patel in Parchment');
  await expect(portal.getByTestId('patient-nhs')).toHaveText(priya.nhsNumber);
});
