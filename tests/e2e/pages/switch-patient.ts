import type { Page } from '@playwright/test';

/**
 * Arms the demo EHR to switch its record in place (as a single-page EHR does) to Zoë O'Brien-Smith at the moment
 * the next click's button is released: in the click's own task, so the click always lands before the launch bar
 * could redraw, however busy the machine is. A switch made any earlier races the bar's own redraw.
 * `nhsText`: the NHS number as the page should show it.
 */
export async function switchToZoeAsTheClickLands(page: Page, nhsText: string): Promise<void> {
  await page.evaluate((nhs) => {
    const switchPatient = () => {
      document.querySelector('.pt-name')!.textContent = "O'BRIEN-SMITH, Zoë (Ms)";
      document.querySelector('.pt-nhs')!.textContent = nhs;
      document.querySelector('.pt-dob')!.textContent = '04-Jul-1992';
      // The whole record follows (a half-switched page is no patient; the profile cross-checks the date of birth).
      for (const line of document.querySelectorAll('section[aria-label="Summary"] .card p')) {
        if (line.textContent?.startsWith('Born ')) line.textContent = 'Born 04-Jul-1992';
      }
    };
    window.addEventListener('mouseup', switchPatient, { capture: true, once: true });
  }, nhsText);
}
