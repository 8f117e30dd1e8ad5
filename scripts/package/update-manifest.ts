/**
 * The update manifest a self-hosted update server serves at the extension's `update_url` (Chromium's
 * "gupdate" XML): for the extension id, where the CRX of the current version is and which browser version
 * it needs at least.
 */
export interface UpdateManifest {
  appId: string;
  codebase: string;
  version: string;
  minimumBrowserVersion?: string;
}

export function updateManifestXml({ appId, codebase, version, minimumBrowserVersion }: UpdateManifest): string {
  const minimum = minimumBrowserVersion ? ` prodversionmin='${escapeXml(minimumBrowserVersion)}'` : '';
  return [
    "<?xml version='1.0' encoding='UTF-8'?>",
    "<gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>",
    `  <app appid='${escapeXml(appId)}'>`,
    `    <updatecheck codebase='${escapeXml(codebase)}' version='${escapeXml(version)}'${minimum} />`,
    '  </app>',
    '</gupdate>',
    '',
  ].join('\n');
}

function escapeXml(value: string): string {
  return value.replace(/[&<>'"]/g, (character) => `&#${character.charCodeAt(0)};`);
}
