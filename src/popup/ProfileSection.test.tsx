// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClinicianProfile } from '../shared/clinician';

vi.mock('../shared/runtime', () => ({ uiString: (key: string, subs: string[] = []) => `${key}${subs.length ? `(${subs.join(',')})` : ''}` }));
const background = vi.hoisted(() => ({ sent: [] as unknown[], answer: { ok: true, errors: [] as string[] } }));
vi.mock('../shared/messaging', () => ({
  sendToBackground: vi.fn(async (type: string, payload: { profile?: unknown }) => {
    if (type === 'clinician.get') return { defaults: {}, defaultsLocked: false };
    background.sent.push(payload.profile);
    return background.answer;
  }),
}));

const { ProfileSection } = await import('./ProfileSection');
type Note = Parameters<typeof ProfileSection>[0]['note'];

const jones: ClinicianProfile = { displayName: 'Dr Alice Jones', username: 'dr.jones', email: 'alice.jones@example.nhs.uk' };

async function settle(): Promise<void> {
  for (let round = 0; round < 3; round++) await act(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
}

/** Renders the section the way the popup does, with the note kept above it. */
async function show(profile: ClinicianProfile | null): Promise<HTMLElement> {
  const root = document.createElement('div');
  document.body.append(root);
  let note: Note = null;
  const draw = () => render(<ProfileSection profile={profile} verified={null} note={note} onNote={(next) => ((note = next), draw())} onSaved={() => undefined} />, root);
  draw();
  await settle();
  return root;
}

async function submit(root: HTMLElement): Promise<void> {
  await act(() => root.querySelector('form')!.requestSubmit());
  await settle();
}

afterEach(() => {
  document.body.replaceChildren();
  background.sent = [];
  background.answer = { ok: true, errors: [] };
});

describe('the profile in the popup', () => {
  it('opens as a form when none is saved, and an empty save names each missing field in plain words', async () => {
    const root = await show(null);
    expect(root.querySelector('form')!.hidden).toBe(false);
    await submit(root);
    expect(background.sent).toEqual([]);
    expect([...root.querySelectorAll('[data-field-error]')].map((p) => [p.getAttribute('data-field-error'), p.textContent])).toEqual([
      ['displayName', 'popupProfileEnterName'],
      ['username', 'popupProfileEnterUsername'],
      ['email', 'popupProfileEnterEmail'],
    ]);
    expect(root.querySelector('#f-displayName')!.getAttribute('aria-describedby')).toBe('e-displayName');
    expect(root.querySelector('[data-testid="profile-result"]')!.textContent).toBe('popupProfileNotSaved');
    expect(root.textContent).not.toContain('Invalid input');
  });

  it('puts the background\'s refusal under the field, in the form\'s words', async () => {
    background.answer = { ok: false, errors: ['email: Invalid input: expected string, received undefined'] };
    const root = await show({ ...jones, email: 'not-an-email' });
    root.querySelector<HTMLButtonElement>('[aria-controls="clinician-form"]')!.click();
    await settle();
    await submit(root);
    expect(root.querySelector('[data-field-error="email"]')!.textContent).toBe('popupProfileFixEmail');
    expect(root.textContent).not.toContain('Invalid input');
  });

  it('is one line with the name and Edit once saved, the form folded away until Edit', async () => {
    const root = await show(jones);
    expect(root.querySelector('form')!.hidden).toBe(true);
    expect(root.querySelector('[data-testid="profile-summary"]')!.textContent).toContain('popupProfileSavedAs(Dr Alice Jones)');
    const edit = root.querySelector<HTMLButtonElement>('[aria-controls="clinician-form"]')!;
    expect(edit.textContent).toBe('popupProfileEdit');
    await act(() => edit.click());
    expect(root.querySelector('form')!.hidden).toBe(false);
    // Saving folds it again.
    await submit(root);
    expect(background.sent).toEqual([jones]);
    expect(root.querySelector('form')!.hidden).toBe(true);
    expect(root.querySelector('[data-testid="profile-result"]')!.textContent).toBe('popupSaved');
  });
});
