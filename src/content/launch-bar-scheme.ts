/**
 * Whether the bar is drawn light or dark: as the EHR page is, not as the operating system is, so a light EHR
 * never gets a dark slab in it (nor a dark EHR a white one). The page's own background colour decides; a page
 * that paints none shows the browser's canvas, whose colour follows the root's `color-scheme`.
 */

export type Scheme = 'light' | 'dark';

export interface PageLook {
  /** Computed background colours, nearest first: body, then the root element. */
  backgrounds: readonly string[];
  /** The root element's computed `color-scheme` ('normal', 'light', 'dark', 'light dark', …). */
  rootColorScheme: string;
  /** The system prefers dark: only used where the page lets the browser choose ('light dark'). */
  systemDark: boolean;
}

/** r, g, b and alpha of a computed colour (`rgb(…)` or `rgba(…)`), or null for anything else. */
function rgba(colour: string): [number, number, number, number] | null {
  const match = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/.exec(colour.trim());
  if (!match) return null;
  const alphaText = match[4];
  const alpha = alphaText === undefined ? 1 : alphaText.endsWith('%') ? Number.parseFloat(alphaText) / 100 : Number.parseFloat(alphaText);
  return [Number(match[1]), Number(match[2]), Number(match[3]), alpha];
}

/** Relative luminance (WCAG) of an sRGB colour. */
function luminance(r: number, g: number, b: number): number {
  const linear = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

export function pageScheme(look: PageLook): Scheme {
  for (const background of look.backgrounds) {
    const colour = rgba(background);
    // Transparent (or nearly): the page shows what is behind, so look further out.
    if (!colour || colour[3] < 0.5) continue;
    // Mid-grey (luminance about 0.18) is where black and white text contrast equally.
    return luminance(colour[0], colour[1], colour[2]) < 0.18 ? 'dark' : 'light';
  }
  const schemes = look.rootColorScheme.split(/\s+/);
  if (schemes.includes('dark') && !schemes.includes('light')) return 'dark';
  if (schemes.includes('dark') && schemes.includes('light')) return look.systemDark ? 'dark' : 'light';
  return 'light';
}

/** The scheme of the document the bar is drawn in, read from its computed styles at the moment. */
export function readPageScheme(doc: Document): Scheme {
  const win = doc.defaultView;
  if (!win) return 'light';
  const root = doc.documentElement;
  const backgrounds = [doc.body, root].filter((element): element is HTMLElement => element !== null).map((element) => win.getComputedStyle(element).backgroundColor);
  return pageScheme({
    backgrounds,
    rootColorScheme: win.getComputedStyle(root).colorScheme || 'normal',
    systemDark: win.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false,
  });
}
