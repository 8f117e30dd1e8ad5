import { describe, expect, it, vi } from 'vitest';

vi.mock('../../shared/browser-api', () => ({ browser: {} }));

const { applyReport, asReadings } = await import('./frame-readings');

const BANNER = 'https://banner.ehr-vendor.example';
const john = { banners: [{ nhsNumber: ['999 000 0018'], name: ['SMITH, John'] }], checks: [] };
const zoe = { banners: [{ nhsNumber: ['999 123 4578'], name: ["O'BRIEN-SMITH, Zoë"] }], checks: [] };
const frame = (frameId: number, documentId: string) => ({ tabId: 7, frameId, documentId, origin: BANNER });

describe('banner frame readings of a tab', () => {
  it("replaces a frame's reading with its newer document's, and a late goodbye from the older one changes nothing", () => {
    let entries = applyReport({}, frame(4, 'doc-a'), john);
    entries = applyReport(entries, frame(4, 'doc-b'), zoe);
    entries = applyReport(entries, frame(4, 'doc-a'), null);
    expect(asReadings(entries)).toEqual({ frames: [{ frameId: 4, origin: BANNER, reading: zoe }] });
    // The newer document's own goodbye removes it.
    expect(asReadings(applyReport(entries, frame(4, 'doc-b'), null))).toEqual({ frames: [] });
  });

  it('keeps no entry for a frame that shows nothing the profile reads', () => {
    const entries = applyReport(applyReport({}, frame(4, 'doc-a'), john), frame(4, 'doc-a'), { banners: [], checks: [] });
    expect(entries).toEqual({});
    // A reading that could not hold everything is kept: it must refuse, not vanish.
    expect(Object.keys(applyReport({}, frame(5, 'doc-c'), { banners: [], checks: [], incomplete: true }))).toEqual(['5']);
  });

  it('gives the page at most ten readings, and says when some were left out', () => {
    let entries = {};
    for (let id = 1; id <= 11; id++) entries = applyReport(entries, frame(id, `doc-${id}`), john);
    const readings = asReadings(entries);
    expect(readings.frames).toHaveLength(10);
    expect(readings.incomplete).toBe(true);
  });
});
