import { describe, expect, it, vi } from 'vitest';

vi.mock('../shared/runtime', () => ({ uiString: (key: string, subs: string[] = []) => `${key}${subs.length ? `(${subs.join(',')})` : ''}` }));

const { brokerListLine, notOfferedByBroker } = await import('./broker-list');

const broker = (listed: { id: string; label: string }[] | null) => ({ url: 'https://broker.example', partners: ['parchment', 'knowledge-base'], ready: true, listed });

describe('the popup\'s view of what the broker lists', () => {
  it('names the partners the broker lists, or says there are none', () => {
    expect(brokerListLine(broker([{ id: 'parchment', label: 'Parchment' }, { id: 'knowledge-base', label: 'Knowledge base' }]))).toBe('brokerListPopupListed(Parchment, Knowledge base)');
    expect(brokerListLine(broker([]))).toBe('brokerListPopupNone');
  });

  it('says nothing when the list is not known or there is no broker', () => {
    expect(brokerListLine(broker(null))).toBeNull();
    expect(brokerListLine(null)).toBeNull();
  });

  it('marks a partner sent through the broker that the broker does not list, and only that', () => {
    const view = broker([{ id: 'knowledge-base', label: 'Knowledge base' }]);
    expect(notOfferedByBroker(view, 'parchment')).toBe(true);
    expect(notOfferedByBroker(view, 'knowledge-base')).toBe(false);
    // Not through the broker: the broker's list says nothing about it.
    expect(notOfferedByBroker(view, 'pkb')).toBe(false);
    // Not known: nothing is marked.
    expect(notOfferedByBroker(broker(null), 'parchment')).toBe(false);
  });
});
