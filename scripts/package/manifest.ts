/**
 * The built manifest rewritten for each distribution route. Both take the version from package.json.
 * - Store (Chrome Web Store, Edge Add-ons): no `key` (the store refuses it and signs with its own key, which
 *   gives the item the store's id) and no `update_url` (the store serves updates).
 * - Self-hosted: `key` (the id stays the one policy, managed storage and partner redirect URIs name) and
 *   `update_url`, where browsers look for the update manifest.
 */

export type Manifest = Record<string, unknown> & { version?: unknown; key?: unknown; update_url?: unknown };

export function storeManifest(built: Manifest, version: string): Manifest {
  assertProductionBuild(built);
  const { key: _key, update_url: _updateUrl, ...rest } = built;
  return { ...rest, version };
}

export function selfHostedManifest(built: Manifest, version: string, key: string, updateUrl: string): Manifest {
  assertProductionBuild(built);
  return { ...built, version, key, update_url: updateUrl };
}

/**
 * Firefox (addons.mozilla.org signing, listed or unlisted, or an ESR policy install of the signed file): the add-on
 * id is in browser_specific_settings, and AMO serves updates of a signed add-on, so only the version changes.
 */
export function firefoxManifest(built: Manifest, version: string): Manifest {
  assertProductionBuild(built);
  const gecko = (built.browser_specific_settings as { gecko?: { id?: unknown } } | undefined)?.gecko;
  if (typeof gecko?.id !== 'string') throw new Error('this is not the Firefox build (no browser_specific_settings.gecko.id); run vite build --mode firefox');
  return { ...built, version };
}

/** The sandbox build allows http://127.0.0.1 and names itself "(sandbox)": it must never be shipped. */
export function assertProductionBuild(built: Manifest): void {
  const text = JSON.stringify(built);
  if (text.includes('127.0.0.1') || text.includes('(sandbox)')) {
    throw new Error('this is the sandbox build (it allows http://127.0.0.1); package the production build (npm run build:prod)');
  }
}
