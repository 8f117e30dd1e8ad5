import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { StripContent } from '../../shared/partner-tabs';

// The English messages as the browser fills them in: named placeholders stand for $1, $2...
vi.mock('../../shared/runtime', () => {
  type Entry = { message: string; placeholders?: Record<string, { content: string }> };
  const messages = JSON.parse(readFileSync(join(import.meta.dirname, '../../../public/_locales/en/messages.json'), 'utf8')) as Record<string, Entry>;
  return {
    uiString(key: string, subs: string[] = []) {
      const entry = messages[key];
      if (!entry) return '';
      return entry.message.replace(/\$([A-Z0-9_]+)\$/gi, (_, name: string) => {
        const content = entry.placeholders?.[name.toLowerCase()]?.content ?? '';
        return subs[Number(content.slice(1)) - 1] ?? '';
      });
    },
  };
});

const { stripText } = await import('./strip-text');

const was = { name: 'SMITH, John', nhsNumber: '9434765919' };
const now = { name: 'DOE, Jane', nhsNumber: '9990000018', fingerprint: 'fp-jane' };
const content = (over: Partial<StripContent>): StripContent => ({ partnerLabel: 'Parchment', was, trigger: 'patient-changed', now, ...over });

describe('stripText', () => {
  it('names whom the tab was opened for and whom the EHR shows now', () => {
    expect(stripText(content({}))).toEqual({
      heading: 'EHR Launchpad: this Parchment tab may show the wrong patient',
      opened: 'Opened for SMITH, John (943 476 5919).',
      current: 'The EHR now shows DOE, Jane (999 000 0018).',
      openHere: 'Open DOE, Jane here',
      close: 'Close tab',
      keep: 'Keep this tab',
    });
  });

  it('says another patient, and offers no "open here", when the background names nobody', () => {
    const text = stripText(content({ now: null }));
    expect(text.current).toBe('The EHR now shows another patient.');
    expect(text.openHere).toBeNull();
  });

  it.each([
    ['ehr-closed', 'The EHR tab it was opened from has been closed.'],
    ['ehr-left', 'The EHR tab it was opened from has moved away from the patient record.'],
    ['signed-out', 'The clinician who opened it has signed out.'],
  ] as const)('says why for %s', (trigger, line) => {
    const text = stripText(content({ trigger, now: null }));
    expect(text.opened).toBe('Opened for SMITH, John (943 476 5919).');
    expect(text.current).toBe(line);
    expect(text.openHere).toBeNull();
  });

  it('offers "open here" whenever there is a patient to open, whatever the trigger', () => {
    expect(stripText(content({ trigger: 'ehr-left' })).openHere).toBe('Open DOE, Jane here');
  });
});
