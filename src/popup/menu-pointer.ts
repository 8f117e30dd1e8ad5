/**
 * Launch messages are written for the launch bar, where "open the EHR Launchpad menu in the toolbar" is the way
 * to fix things. Inside that menu the pointer only sends the clinician round in circles: take it out, keep the rest.
 */
const POINTERS: readonly [RegExp, string][] = [
  // "Pair with PKB first: open the EHR Launchpad menu in the toolbar and choose Pair." -> "Pair with PKB first."
  [/:\s*open the EHR Launchpad menu in the toolbar[^.]*\./gi, '.'],
  // "... add it to your clinician profile in the EHR Launchpad toolbar menu." -> "... to your clinician profile."
  [/\s+in the EHR Launchpad toolbar menu/gi, ''],
  // "Your PKB pairing has ended. Pair again from the EHR Launchpad menu in the toolbar." -> first sentence only.
  [/\s*[^.]*\bfrom the EHR Launchpad menu in the toolbar\./gi, ''],
];

export function withoutMenuPointer(message: string): string {
  return POINTERS.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), message).trim();
}
