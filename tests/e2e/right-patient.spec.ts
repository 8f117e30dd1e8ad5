import { PATIENTS } from '../sandbox/fixtures';
import { expect, test } from './fixtures';
import { EhrPage } from './pages/ehr-page';
import { switchToZoeAsTheClickLands } from './pages/switch-patient';

const [john, zoe] = [PATIENTS[0]!, PATIENTS[1]!];

test('a patient switch between drawing the button and the click refuses the launch, then the bar shows the new patient', { tag: '@hostile' }, async ({ context, sandbox, setUpExtension, control }) => {
  await setUpExtension();
  await control('parchment-api', 'requests', { method: 'DELETE' });
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  const bar = await ehr.bar.waitForButton('Open John Smith in Parchment');
  const button = bar.buttons.find((b) => b.name === 'Open John Smith in Parchment')!;

  // The EHR switches patient in place (as a single-page EHR does), and the click lands before the bar redraws.
  const box = await ehr.bar.settle(button.name);
  await switchToZoeAsTheClickLands(ehr.page, `${zoe.nhsNumber.slice(0, 3)} ${zoe.nhsNumber.slice(3, 6)} ${zoe.nhsNumber.slice(6)}`);
  await ehr.page.mouse.click(box.x, box.y);

  await ehr.bar.waitForStatus(/not the one this button was drawn for, so nothing was opened/);
  expect(context.pages()).toHaveLength(2);
  expect(await control('parchment-api', 'requests')).toEqual([]);
  await ehr.bar.waitForButton("Open Zoë O'Brien-Smith in Parchment");
});

test('two tabs with two patients each launch their own', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension();
  const first = new EhrPage(await context.newPage(), sandbox.ehr);
  await first.openPatient(john.nhsNumber);
  const second = new EhrPage(await context.newPage(), sandbox.ehr);
  await second.openPatient(zoe.nhsNumber);

  await first.page.bringToFront();
  const johnsRecord = await first.launch('Open John Smith in Parchment');
  await expect(johnsRecord.getByTestId('patient-nhs')).toHaveText(john.nhsNumber);

  await second.page.bringToFront();
  const zoesRecord = await second.launch("Open Zoë O'Brien-Smith in Parchment");
  await expect(zoesRecord.getByTestId('patient-nhs')).toHaveText(zoe.nhsNumber);
});
