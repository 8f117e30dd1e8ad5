// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';

vi.mock('../shared/runtime', () => ({ uiString: (key: string, subs: string[] = []) => `${key}${subs.length ? `(${subs.join(',')})` : ''}` }));

const { createRowButtons } = await import('./row-buttons');
const { readRows } = await import('./detect-rows');
const { ehrProfileSchema } = await import('../shared/ehr-profile');

const today = new Date(2026, 10, 22);
const profile = ehrProfileSchema.parse({
  name: 'list',
  rows: {
    selector: 'tr.pt',
    fields: { name: { selector: 'td:nth-child(1)' }, nhsNumber: { selector: 'td:nth-child(2)' }, birthDate: { selector: 'td:nth-child(3)' } },
    anchor: { selector: 'td.actions' },
  },
});
const ready = [
  { id: 'parchment', label: 'Parchment', state: 'ready' as const },
  { id: 'pkb', label: 'Patients Know Best', state: 'pairing-needed' as const, message: 'Pair first.' },
];

function page(rows: string[][]): void {
  document.body.innerHTML = `<table><tbody>${rows.map((cells) => `<tr class="pt">${cells.map((c) => `<td>${c}</td>`).join('')}<td class="actions"></td></tr>`).join('')}</tbody></table>`;
}

/** Row controls' shadow roots are closed; the test keeps a handle on each as it is attached. */
function openShadows() {
  const original = Element.prototype.attachShadow;
  const roots: ShadowRoot[] = [];
  Element.prototype.attachShadow = function (init) {
    const root = original.call(this, init);
    roots.push(root);
    return root;
  };
  return { roots, restore: () => (Element.prototype.attachShadow = original) };
}

describe('list rows', () => {
  it('reads each row on its own, strictly: a bad NHS number or a missing name gets no buttons', () => {
    page([
      ['SMITH, John (Mr)', '999 000 0018', '12-Mar-1985'],
      ['JONES, Ann', '999 000 0019', '01-Jan-1970'],
      ['', '999 123 4578', '04-Jul-1992'],
      ["O'BRIEN-SMITH, Zoë (Ms)", '999 123 4578', '04-Jul-1992'],
    ]);
    expect(readRows(document, profile, today).map((r) => [r.context.nhsNumber, r.context.name.given])).toEqual([
      ['9990000018', 'John'],
      ['9991234578', 'Zoë'],
    ]);
    expect(readRows(document, ehrProfileSchema.parse({ name: 'no-rows' }), today)).toEqual([]);
  });

  it('puts buttons for ready partners in each row, named for its patient, and keeps them while nothing changes', () => {
    page([
      ['SMITH, John (Mr)', '999 000 0018', '12-Mar-1985'],
      ["O'BRIEN-SMITH, Zoë (Ms)", '999 123 4578', '04-Jul-1992'],
    ]);
    const shadows = openShadows();
    const rows = createRowButtons({ onLaunch: vi.fn(async () => ({})), onRefused: vi.fn() });
    const found = readRows(document, profile, today);
    rows.render(found, { partners: ready }, profile.rows!.anchor);
    shadows.restore();
    const hosts = [...document.querySelectorAll('td.actions > ehr-launchpad-row')];
    expect(hosts).toHaveLength(2);
    const buttons = shadows.roots.map((root) => [...root.querySelectorAll('button')]);
    expect(buttons.map((list) => list.map((b) => b.getAttribute('aria-label')))).toEqual([
      ['barOpenIn(John Smith,Parchment)'],
      ["barOpenIn(Zoë O'Brien-Smith,Parchment)"],
    ]);
    expect(buttons[0]![0]!.title).toBe('John Smith · NHS 999 000 0018');
    // The same reading again: the same elements (a click in progress is never lost to a redraw).
    rows.render(readRows(document, profile, today), { partners: ready }, profile.rows!.anchor);
    expect([...document.querySelectorAll('ehr-launchpad-row')]).toEqual(hosts);
    // A row that changes patient is redrawn; one that goes loses its buttons.
    document.querySelector('tr.pt td')!.textContent = 'SMITH, Jane (Ms)';
    document.querySelectorAll('tr.pt')[1]!.remove();
    rows.render(readRows(document, profile, today), { partners: ready }, profile.rows!.anchor);
    const now = [...document.querySelectorAll('ehr-launchpad-row')];
    expect(now).toHaveLength(1);
    expect(now[0]).not.toBe(hosts[0]);
    rows.clear();
    expect(document.querySelectorAll('ehr-launchpad-row')).toHaveLength(0);
  });

  it('ignores clicks that page script makes', () => {
    page([['SMITH, John (Mr)', '999 000 0018', '12-Mar-1985']]);
    const shadows = openShadows();
    const onLaunch = vi.fn(async () => ({}));
    const rows = createRowButtons({ onLaunch, onRefused: vi.fn() });
    rows.render(readRows(document, profile, today), { partners: ready }, profile.rows!.anchor);
    shadows.restore();
    const button = shadows.roots[0]!.querySelector('button')!;
    button.click();
    button.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(onLaunch).not.toHaveBeenCalled();
  });

  it('refuses row rules that cannot work', () => {
    const ok = (rows: unknown) => ehrProfileSchema.safeParse({ name: 'x', rows }).success;
    expect(ok({ selector: 'tr', fields: { nhsNumber: { selector: 'td' }, name: { selector: 'td' } } })).toBe(true);
    expect(ok({ selector: 'tr', fields: { nhsNumber: { selector: 'td' } } })).toBe(false);
    expect(ok({ selector: '', fields: { nhsNumber: {}, name: {} } })).toBe(false);
    expect(ok({ selector: 'tr', fields: { nhsNumber: {}, name: {} }, anchor: { selector: 'td', position: 'after' } })).toBe(false);
  });
});
