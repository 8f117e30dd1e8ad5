import { describe, expect, it } from 'vitest';
import chromium from '../../manifest.json' with { type: 'json' };
import { firefoxManifest, GECKO_ID } from './firefox-manifest';

describe('firefoxManifest', () => {
  const firefox = firefoxManifest(chromium);

  it('runs the same background module as an event page', () => {
    expect(firefox.background).toEqual({ scripts: [chromium.background.service_worker], type: 'module' });
  });

  it('drops the keys only Chromium reads', () => {
    expect(firefox).not.toHaveProperty('key');
    expect(firefox).not.toHaveProperty('minimum_chrome_version');
    expect(firefox).not.toHaveProperty('storage');
  });

  it('names its add-on id and the Firefox it is tested on', () => {
    expect(firefox.browser_specific_settings).toMatchObject({ gecko: { id: GECKO_ID, strict_min_version: '140.0' } });
  });

  it('keeps what both browsers share, and leaves manifest.json as it was', () => {
    expect(firefox.permissions).toEqual(chromium.permissions);
    expect(firefox.optional_host_permissions).toEqual(chromium.optional_host_permissions);
    expect(firefox.content_security_policy).toEqual(chromium.content_security_policy);
    expect(chromium).toHaveProperty('key');
  });
});
