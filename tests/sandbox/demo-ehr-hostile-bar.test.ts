import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CLIP_TOP_PX, CURSOR_HOTSPOT, HOSTILE_BAR_KINDS, LYING_CURSOR } from './demo-ehr-hostile-bar';
import { duplicateIds, ehrPageKit } from './demo-ehr-page-kit';
import { PATIENTS } from './fixtures';
import { fixture, useSandbox } from './test-kit';

/**
 * The demo EHR's attacks on the launch bar (`/hostile/<kind>/<nhs>`): served for every kind, each the classic
 * page plus its configuration and script. What the scripts do to a drawn bar needs layout, so the e2e suite
 * (tests/e2e/hostile-bar.spec.ts) checks that in Chromium; here the pages' shape and the cursor image.
 */

const sandbox = useSandbox();
const { page, run } = ehrPageKit(sandbox);
const SMITH = fixture(PATIENTS[0], 'SMITH');

function config(html: string): Record<string, unknown> {
  const json = /<script type="application\/json" id="hostile-bar-config">(.*?)<\/script>/s.exec(html)?.[1];
  if (!json) throw new Error('no hostile-bar-config block');
  return JSON.parse(json) as Record<string, unknown>;
}

describe('hostile launch-bar fixtures', () => {
  it('serves every kind as the classic page with its configuration and script, and nothing from elsewhere', async () => {
    for (const kind of HOSTILE_BAR_KINDS) {
      const { status, html } = await page(`/hostile/${kind}/${SMITH.nhsNumber}`);
      expect(status, kind).toBe(200);
      expect(html).toContain('id="patient-banner"');
      expect(html).toContain('<td class="pt-nhs">999 000 0018</td>');
      expect(html).toContain('id="hostile-bar-script"');
      expect(duplicateIds(html), kind).toEqual([]);
      expect(html, kind).not.toMatch(/\son[a-z]+=|javascript:|src="http/);
      const { kind: configured, clipTop, fake } = config(html);
      expect(configured).toBe(kind);
      expect(clipTop).toBe(CLIP_TOP_PX);
      // The page pretends the bar is for the next patient, named as the bar names patients.
      expect(fake).toEqual({ name: "Zoë O'Brien-Smith", nhs: '999 123 4578', dob: '04-Jul-1992' });
    }
  });

  it('refuses unknown kinds, unknown patients and bad options', async () => {
    expect((await page(`/hostile/clip-everything/${SMITH.nhsNumber}`)).status).toBe(404);
    expect((await page('/hostile/zoom/9990000000')).status).toBe(404);
    expect((await page(`/hostile/zoom/${SMITH.nhsNumber}?with=${SMITH.nhsNumber}`)).status).toBe(400);
  });

  it('runs its script without errors and leaves the page alone until a bar is drawn', async () => {
    const { doc, errors } = await run(`/hostile/dblclick-move/${SMITH.nhsNumber}`);
    expect(errors).toEqual([]);
    expect(doc.documentElement.getAttribute('data-hostile-bar')).toBeNull();
    expect(doc.querySelector('[data-testid="hostile-refresh"]')).toBeNull();
  });

  it('draws the cursor as a 128 × 128 PNG with its hotspot 110 px in, inside the image', () => {
    const match = /^url\(data:image\/png;base64,([A-Za-z0-9+/=]+)\) (\d+) (\d+), auto$/.exec(LYING_CURSOR);
    expect(match?.slice(2)).toEqual([String(CURSOR_HOTSPOT), String(CURSOR_HOTSPOT)]);
    const png = Buffer.from(match![1]!, 'base64');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(128);
    expect(png.readUInt32BE(20)).toBe(128);
    const idat = png.indexOf('IDAT');
    const pixels = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
    const alpha = (x: number, y: number) => pixels[y * (1 + 128 * 4) + 1 + x * 4 + 3];
    // An arrow at the top-left corner, and nothing at the hotspot: the pointer is drawn far from where it clicks.
    expect(alpha(1, 10)).toBe(255);
    expect(alpha(CURSOR_HOTSPOT, CURSOR_HOTSPOT)).toBe(0);
  });
});
