// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTitleWarning, hasWarning, withWarning, withoutWarning } from './title-warning';

/** Mutation observers report after the current task's microtasks. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('title warning helpers', () => {
  it('adds the sign once and takes it off again', () => {
    expect(withWarning('Parchment')).toBe('⚠ Parchment');
    expect(withWarning(withWarning('Parchment'))).toBe('⚠ Parchment');
    expect(withoutWarning('⚠ Parchment')).toBe('Parchment');
    expect(withoutWarning('Parchment')).toBe('Parchment');
    // An empty title reads back without the trailing space: still counts as warned.
    expect(hasWarning('⚠')).toBe(true);
    expect(withoutWarning('⚠')).toBe('');
  });
});

describe('createTitleWarning', () => {
  beforeEach(() => {
    document.head.replaceChildren();
    document.title = 'Parchment: prescriptions';
  });
  afterEach(() => document.head.replaceChildren());

  it('puts the sign on a page that sets a new title, and says nothing about it', async () => {
    const onTakenOff = vi.fn();
    const warning = createTitleWarning(document, onTakenOff);
    warning.start();
    expect(document.title).toBe('⚠ Parchment: prescriptions');
    document.title = 'Parchment: new prescription';
    await settled();
    expect(document.title).toBe('⚠ Parchment: new prescription');
    expect(onTakenOff).not.toHaveBeenCalled();
    warning.stop();
  });

  it('puts the sign back and reports it when only the sign was taken off', async () => {
    const onTakenOff = vi.fn();
    const warning = createTitleWarning(document, onTakenOff);
    warning.start();
    document.title = 'Parchment: prescriptions';
    await settled();
    expect(document.title).toBe('⚠ Parchment: prescriptions');
    expect(onTakenOff).toHaveBeenCalledTimes(1);
    warning.stop();
  });

  it('follows a replaced <title> element', async () => {
    const onTakenOff = vi.fn();
    const warning = createTitleWarning(document, onTakenOff);
    warning.start();
    const fresh = document.createElement('title');
    fresh.textContent = 'Other';
    document.head.replaceChildren(fresh);
    await settled();
    expect(document.title).toBe('⚠ Other');
    warning.stop();
  });

  it('takes its sign away when stopped, and leaves the page alone after', async () => {
    const warning = createTitleWarning(document, () => undefined);
    warning.start();
    warning.stop();
    expect(document.title).toBe('Parchment: prescriptions');
    document.title = 'Later';
    await settled();
    expect(document.title).toBe('Later');
  });

  it('leaves a sign the page had itself', () => {
    document.title = '⚠ Alerts';
    const warning = createTitleWarning(document, () => undefined);
    warning.start();
    expect(document.title).toBe('⚠ Alerts');
    warning.stop();
    expect(document.title).toBe('⚠ Alerts');
  });
});
