// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { FormValues } from './partner-form';

vi.mock('../shared/runtime', () => ({ uiString: (key: string, subs: string[] = []) => `${key}${subs.length ? `(${subs.join(',')})` : ''}` }));

const { StaleTabFields, staleTabLabel } = await import('./StaleTabFields');

async function show(values: FormValues, errors: string[] = []) {
  const set = vi.fn();
  const root = document.createElement('div');
  document.body.append(root);
  await act(() => render(<StaleTabFields values={values} set={set} errorsFor={(name) => errors.filter((e) => e.startsWith(`partners[0].${name}:`))} />, root));
  return { root, set, select: root.querySelector<HTMLSelectElement>('#partner-staleTab')!, readOnly: root.querySelector<HTMLInputElement>('#partner-readOnly')! };
}

describe('the partner tab setting in the partner form', () => {
  it('offers the four settings, shows mark when none is set, and explains itself', async () => {
    const { root, select, readOnly } = await show({ staleTab: '', readOnly: false });
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([
      ['mark', 'optStaleTabMark'],
      ['close', 'optStaleTabClose'],
      ['follow', 'optStaleTabFollow'],
      ['none', 'optStaleTabNone'],
    ]);
    expect(select.value).toBe('mark');
    expect(readOnly.checked).toBe(false);
    expect(root.querySelector('label[for="partner-staleTab"]')?.textContent).toBe('optStaleTabAction');
    expect(root.querySelector('label[for="partner-readOnly"]')?.textContent).toBe('optStaleTabReadOnly');
    expect(select.getAttribute('aria-describedby')).toBe('partner-staleTab-help');
    expect(root.querySelector('#partner-staleTab-help')?.textContent).toBe('optStaleTabHelp');
  });

  it('reports changes to the form', async () => {
    const { select, readOnly, set } = await show({ staleTab: 'mark', readOnly: false });
    select.value = 'follow';
    await act(() => {
      select.dispatchEvent(new Event('change'));
    });
    readOnly.click();
    expect(set.mock.calls).toEqual([
      ['staleTab', 'follow'],
      ['readOnly', true],
    ]);
  });

  it('shows the configuration\'s error under the setting', async () => {
    const message = 'partners[0].staleTab: follow relaunches the tab automatically, so it is only for a read-only partner: set "readOnly": true, or use mark';
    const { root, select } = await show({ staleTab: 'follow', readOnly: false }, [message]);
    expect(select.value).toBe('follow');
    expect(select.getAttribute('aria-invalid')).toBe('true');
    expect(select.getAttribute('aria-describedby')).toBe('partner-staleTab-help partner-staleTab-error');
    expect(root.querySelector('#partner-staleTab-error')?.textContent).toBe(message);
  });

  it('names the setting in the partner list, mark when left out', () => {
    expect(staleTabLabel(undefined)).toBe('optStaleTabMark');
    expect(staleTabLabel('follow')).toBe('optStaleTabFollow');
  });
});
