/**
 * The form a unit name is matched in: NFKC (full-width brackets and digits to half-width), no white
 * space. PDF-extracted names carry stray spaces ("省地 方金融监管局"); this makes them match.
 */
export function normalizeUnitName(name: string): string {
  return name.normalize('NFKC').replace(/\s+/gu, '');
}
