// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { paintsAt, samplePoints, withEverythingHitTestable } from './see-through';

afterEach(() => {
  document.body.replaceChildren();
});

function block(style: string, text = ''): HTMLElement {
  const el = document.createElement('div');
  el.setAttribute('style', style);
  el.textContent = text;
  document.body.append(el);
  return el;
}

describe('withEverythingHitTestable', () => {
  it('makes every element hit-testable only while it reads, and puts inline styles back exactly', () => {
    const important = block('pointer-events: none !important; background: red');
    const plain = block('pointer-events: none');
    const untouched = block('color: blue');
    const during = withEverythingHitTestable(document, () => ({
      sheet: document.documentElement.firstElementChild?.textContent ?? '',
      important: important.style.getPropertyValue('pointer-events'),
      plain: plain.style.getPropertyValue('pointer-events'),
    }));
    expect(during.sheet).toContain('pointer-events: auto !important');
    expect(during.important).toBe('auto');
    expect(during.plain).toBe('auto');
    expect(important.style.getPropertyValue('pointer-events')).toBe('none');
    expect(important.style.getPropertyPriority('pointer-events')).toBe('important');
    expect(plain.style.getPropertyValue('pointer-events')).toBe('none');
    expect(plain.style.getPropertyPriority('pointer-events')).toBe('');
    expect(untouched.getAttribute('style')).toBe('color: blue');
    expect(document.querySelector('style')).toBeNull();
  });

  it('puts the page back even when the reading throws', () => {
    const el = block('pointer-events: none');
    expect(() =>
      withEverythingHitTestable(document, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(el.style.getPropertyValue('pointer-events')).toBe('none');
    expect(document.querySelector('style')).toBeNull();
  });
});

describe('paintsAt', () => {
  it('counts what draws: a background, even half-transparent, a blend, an image', () => {
    expect(paintsAt(block('background-color: rgba(255, 255, 255, 0.5)'), 1, 1)).toBe(true);
    expect(paintsAt(block('mix-blend-mode: difference'), 1, 1)).toBe(true);
    const img = document.createElement('img');
    document.body.append(img);
    expect(paintsAt(img, 1, 1)).toBe(true);
  });

  it('does not count a transparent wrapper, nor one faded to nothing', () => {
    expect(paintsAt(block('position: fixed; inset: 0'), 1, 1)).toBe(false);
    expect(paintsAt(block('opacity: 0; background-color: white'), 1, 1)).toBe(false);
  });
});

describe('samplePoints', () => {
  it('looks at nine points inside the box, then at the extra ones', () => {
    const points = samplePoints({ left: 100, top: 50, width: 200, height: 100 }, [{ x: 5, y: 6 }]);
    expect(points).toHaveLength(10);
    expect(points[4]).toEqual({ x: 200, y: 100 });
    expect(points.slice(0, 9).every((p) => p.x > 100 && p.x < 300 && p.y > 50 && p.y < 150)).toBe(true);
    expect(points[9]).toEqual({ x: 5, y: 6 });
  });
});
