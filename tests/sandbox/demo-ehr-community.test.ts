import { describe, expect, it } from 'vitest';
import { detectPatient } from '../../src/content/detect';
import { buildSelector } from '../../src/content/picker/selector';
import { GENERIC_PROFILE } from '../../src/shared/ehr-profile';
import { draftProfile } from '../../src/shared/profile-builder/draft-profile';
import type { Picks } from '../../src/shared/profile-builder/picks';
import { ehrPageKit } from './demo-ehr-page-kit';
import { PATIENTS } from './fixtures';
import { useSandbox } from './test-kit';

/**
 * The community layout is for the profile builder: the generic reader cannot read it, and a profile built the
 * way the picker builds it (selectors from the clicked elements, regexes from their texts) reads it, for the
 * patient it was taught on and for the next one.
 */

const sandbox = useSandbox();
const kit = ehrPageKit(sandbox);
const today = new Date(2026, 0, 1);
const [john, zoe] = [PATIENTS[0]!, PATIENTS[1]!];

const text = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ').trim();

/** What the picker would send for clicks on the strip and its first three spans. */
function pick(doc: Document): Picks {
  const strip = doc.querySelector('[data-testid="community-strip"]')!;
  const [name, nhs, birth] = [...strip.querySelectorAll('span')];
  const picked = (el: Element, root: Document | Element) => ({ selector: buildSelector(el, root)!, text: text(el) });
  return { banner: picked(strip, doc), nhsNumber: picked(nhs!, strip), birthDate: picked(birth!, strip), name: picked(name!, strip) };
}

describe('demo EHR community layout', () => {
  it('is not read by the generic reader', async () => {
    const page = await kit.run(`/patients/${john.nhsNumber}?layout=community`);
    expect(detectPatient(page.doc, today, GENERIC_PROFILE).context).toBeNull();
  });

  it('is read with the profile the builder writes from four picks, on this patient and the next', async () => {
    const page = await kit.run(`/patients/${john.nhsNumber}?layout=community`);
    const picks = pick(page.doc);
    // Stable names only: not the generated id, not the hashed or utility classes.
    expect(picks.banner.selector).toBe('[data-region="client-details"]');
    expect(picks).toMatchObject({ nhsNumber: { selector: '[data-item="hcn"]' }, birthDate: { selector: '[aria-label="Birth details"]' }, name: { selector: '.who' } });
    const draft = draftProfile('community', picks, today);
    expect(draft.problems).toEqual([]);
    for (const field of ['nhsNumber', 'birthDate', 'name'] as const) expect(draft.profile!.fields![field]!.regex, field).toBeTruthy();

    expect(detectPatient(page.doc, today, draft.profile!).context).toMatchObject({ nhsNumber: john.nhsNumber, birthDate: john.birthDate, name: { given: john.given } });
    const next = await kit.run(`/patients/${zoe.nhsNumber}?layout=community`);
    expect(detectPatient(next.doc, today, draft.profile!).context).toMatchObject({ nhsNumber: zoe.nhsNumber, birthDate: zoe.birthDate, name: { given: zoe.given } });
  });
});
