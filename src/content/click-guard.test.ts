// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';

// happy-dom has no layout: the place watch and the drawn-as-ours checks are stood in for; the browser's own
// answers are covered by the e2e hostile suite.
const place = vi.hoisted(() => ({ stillFor: 10_000, appearance: null as null | 'distorted' | 'partly-hidden' }));
vi.mock('./place-watch', () => ({ createPlaceWatch: () => ({ watch() {}, unwatch() {}, stillFor: () => place.stillFor }) }));
vi.mock('./bar-appearance', () => ({ appearanceRefusal: () => place.appearance }));

const { guardClicks, STILL_MS } = await import('./click-guard');

function trusted<E extends Event>(event: E): E {
  Object.defineProperty(event, 'isTrusted', { value: true });
  return event;
}

function setUp() {
  document.body.innerHTML = '<p id="page">EHR</p>';
  const host = document.createElement('ehr-launchpad-bar');
  const area = document.createElement('section');
  const button = document.createElement('button');
  area.append(button);
  host.append(area);
  document.body.append(host);
  // Whatever is asked, the page shows our host at that point (nothing covers it).
  document.elementFromPoint = () => host;
  const guard = guardClicks(host, area);
  const enter = (from: Element | null = document.getElementById('page')) => host.dispatchEvent(trusted(new PointerEvent('pointerenter', { relatedTarget: from })));
  const click = (detail: number) => guard.refusal(new MouseEvent('click', { detail, clientX: 1, clientY: 1 }), button, [button]);
  return { host, guard, enter, click };
}

describe('the click checks, in order', () => {
  beforeEach(() => {
    place.stillFor = 10_000;
    place.appearance = null;
  });

  it('a single click by a pointer that came in, on a still bar drawn as ours, may launch', () => {
    const { enter, click } = setUp();
    enter();
    expect(click(1)).toBeNull();
  });

  it('the second click of a double-click never launches', () => {
    const { enter, click } = setUp();
    enter();
    expect(click(2)).toBe('double-click');
    expect(click(3)).toBe('double-click');
  });

  it('a mouse click with no pointer arrival, or on a bar that has only just moved, is unsettled', () => {
    const { enter, click } = setUp();
    expect(click(1)).toBe('unsettled');
    enter();
    place.stillFor = STILL_MS - 1;
    expect(click(1)).toBe('unsettled');
  });

  it('a pointer that came in from a page-drawn cursor is not trusted; the keyboard still launches', () => {
    const { enter, click } = setUp();
    const fancy = document.getElementById('page')!;
    fancy.style.cursor = 'url("data:image/png;base64,AAAA") 110 110, auto';
    enter(fancy);
    expect(click(1)).toBe('pointer');
    expect(click(0)).toBeNull();
  });

  it('a keyboard activation skips the pointer checks but not the look of the bar', () => {
    const { click } = setUp();
    place.stillFor = 0;
    expect(click(0)).toBeNull();
    place.appearance = 'distorted';
    expect(click(0)).toBe('distorted');
  });
});
