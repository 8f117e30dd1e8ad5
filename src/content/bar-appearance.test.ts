import { describe, expect, it } from 'vitest';
import { geometryRefusal, onlyMoves, styleRefusal } from './bar-appearance';

/** A stand-in element: only the links the checks walk (parent, shadow host) and a computed style. */
interface Fake {
  parentElement: Fake | null;
  parentNode: unknown;
  style: Record<string, string>;
  currentCSSZoom?: number;
}

function chain(host: Record<string, string>, ...ancestors: Record<string, string>[]): Fake {
  let parent: Fake | null = null;
  for (const style of ancestors.reverse()) parent = { parentElement: parent, parentNode: parent, style };
  return { parentElement: parent, parentNode: parent, style: host };
}

const OURS = { clipPath: 'none', maskImage: 'none', filter: 'none', transform: 'none', textIndent: '0px', letterSpacing: 'normal', wordSpacing: '0px', opacity: '1', visibility: 'visible', zoom: '1' };
const PLAIN = { clipPath: 'none', maskImage: 'none', transform: 'none', scale: 'none', rotate: 'none', zoom: '1' };
const styleOf = (element: Element) => (element as unknown as Fake).style as unknown as CSSStyleDeclaration;
const refusalFor = (host: Fake) => styleRefusal(host as unknown as Element, styleOf);

describe('the bar as we drew it', () => {
  it('passes with our pinned host style and plain ancestors', () => {
    expect(refusalFor(chain(OURS, PLAIN, PLAIN))).toBeNull();
  });

  it.each([
    ['clip-path on the host', { clipPath: 'inset(62px 0px 0px)' }],
    ['text-indent on the host', { textIndent: '-9999px' }],
    ['letter-spacing on the host', { letterSpacing: '-20px' }],
    ['word-spacing on the host', { wordSpacing: '-50px' }],
    ['a mask on the host', { maskImage: 'linear-gradient(transparent, black)' }],
  ])('refuses %s (the page got past our pinned style)', (_, change) => {
    expect(refusalFor(chain({ ...OURS, ...change }, PLAIN))).toBe('distorted');
  });

  it.each([
    ['a clip-path', { clipPath: 'inset(62px 0px 0px)' }],
    ['a mask', { maskImage: 'url("x.png")' }],
    ['a scaling transform', { transform: 'matrix(0.25, 0, 0, 0.25, 0, 0)' }],
    ['a rotation', { rotate: '180deg' }],
    ['the scale property', { scale: '0.5' }],
    ['zoom 0.25', { zoom: '0.25' }],
  ])('refuses %s on an ancestor', (_, change) => {
    expect(refusalFor(chain(OURS, PLAIN, { ...PLAIN, ...change }))).toBe('distorted');
  });

  it("trusts the browser's own effective zoom where it has one", () => {
    const host = chain(OURS, PLAIN);
    host.currentCSSZoom = 0.25;
    expect(refusalFor(host)).toBe('distorted');
    host.currentCSSZoom = 1;
    expect(refusalFor(host)).toBeNull();
  });

  it('allows an ancestor that is only moved (sticky headers, translate tricks for layers)', () => {
    expect(refusalFor(chain(OURS, { ...PLAIN, transform: 'matrix(1, 0, 0, 1, 0, 120)' }))).toBeNull();
    expect(refusalFor(chain(OURS, { ...PLAIN, transform: 'matrix3d(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1)' }))).toBeNull();
  });

  it('walks out of a shadow root the bar was anchored in', () => {
    const outer: Fake = { parentElement: null, parentNode: null, style: { ...PLAIN, clipPath: 'circle(10px)' } };
    const shadowRoot = { host: outer };
    const host: Fake = { parentElement: null, parentNode: shadowRoot, style: OURS };
    expect(refusalFor(host)).toBe('distorted');
  });
});

describe('onlyMoves', () => {
  it.each([
    ['none', true],
    ['matrix(1, 0, 0, 1, 10, 20)', true],
    ['matrix(-1, 0, 0, 1, 0, 0)', false],
    ['matrix(1, 0.2, 0, 1, 0, 0)', false],
    ['matrix3d(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 5, 5, 0, 1)', true],
    ['matrix3d(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, -0.002, 0, 0, 0, 1)', false],
    ['perspective(10px)', false],
  ])('%s → %s', (transform, expected) => expect(onlyMoves(transform)).toBe(expected));
});

describe('the line naming the patient, where it is drawn', () => {
  const viewport = { width: 1000, height: 800 };
  const host = {} as Element;
  function part(box: { left: number; top: number; width: number; height: number }, laidOut = { width: box.width, height: box.height }) {
    const rect = { ...box, right: box.left + box.width, bottom: box.top + box.height };
    return { getBoundingClientRect: () => rect, offsetWidth: laidOut.width, offsetHeight: laidOut.height } as unknown as HTMLElement;
  }
  const line = { left: 600, top: 700, width: 300, height: 20 };

  it('passes when wholly inside the viewport, at its size, and ours at every sampled point', () => {
    expect(geometryRefusal(host, part(line), viewport, () => host)).toBeNull();
  });

  it('is partly hidden when off screen, empty, or something else is at one of its points', () => {
    expect(geometryRefusal(host, part({ ...line, top: 790 }), viewport, () => host)).toBe('partly-hidden');
    expect(geometryRefusal(host, part({ ...line, left: -5 }), viewport, () => host)).toBe('partly-hidden');
    expect(geometryRefusal(host, part({ ...line, height: 0 }), viewport, () => host)).toBe('partly-hidden');
    const fake = {} as Element;
    // A page element drawn over the top-left corner of the line (a fake patient line, or a clipping parent).
    expect(geometryRefusal(host, part(line), viewport, (x, y) => (x < 610 && y < 705 ? fake : host))).toBe('partly-hidden');
  });

  it('is distorted when drawn at another size than laid out (scaled or zoomed from outside)', () => {
    expect(geometryRefusal(host, part({ ...line, width: 75, height: 5 }, { width: 300, height: 20 }), viewport, () => host)).toBe('distorted');
  });
});
