import { describe, expect, it } from 'vitest';
import { updateManifestXml } from './update-manifest';

describe('update manifest (gupdate XML)', () => {
  it('names the extension id, the CRX address, its version and the oldest browser it runs in', () => {
    expect(
      updateManifestXml({
        appId: 'ikbkgfoadadldhedkemepfmjnahodadh',
        codebase: 'https://apps.trust.example/ehr/ehr-launchpad-1.4.0.crx',
        version: '1.4.0',
        minimumBrowserVersion: '120',
      }),
    ).toBe(
      [
        "<?xml version='1.0' encoding='UTF-8'?>",
        "<gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>",
        "  <app appid='ikbkgfoadadldhedkemepfmjnahodadh'>",
        "    <updatecheck codebase='https://apps.trust.example/ehr/ehr-launchpad-1.4.0.crx' version='1.4.0' prodversionmin='120' />",
        '  </app>',
        '</gupdate>',
        '',
      ].join('\n'),
    );
  });

  it('escapes what would break the attribute', () => {
    const xml = updateManifestXml({ appId: 'a', codebase: "https://x.example/a?b=1&c='2'", version: '1' });
    expect(xml).toContain("codebase='https://x.example/a?b=1&#38;c=&#39;2&#39;'");
    expect(xml).not.toContain('prodversionmin');
  });
});
