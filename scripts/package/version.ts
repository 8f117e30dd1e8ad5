/**
 * Chrome and Edge accept a version of one to four dot-separated integers from 0 to 65535, without leading
 * zeros; a semver pre-release or build tag such as `1.2.0-beta.1` is refused at upload or install.
 * Returns what is wrong, or undefined when the version is usable.
 */
export function extensionVersionProblem(version: string): string | undefined {
  const parts = version.split('.');
  if (parts.length > 4) return `version ${JSON.stringify(version)} has more than four parts`;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]*)$/.test(part)) {
      return `version ${JSON.stringify(version)}: each part must be a whole number without leading zeros (no pre-release or build tags)`;
    }
    if (Number(part) > 65535) return `version ${JSON.stringify(version)}: each part must be at most 65535`;
  }
  if (parts.every((part) => part === '0')) return `version ${JSON.stringify(version)} must not be all zeros`;
  return undefined;
}
