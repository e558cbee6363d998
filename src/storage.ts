// Espruino's Storage (flash), or the stand-in a caller or a test passes; undefined on a board without it.
export function storageOr(given?: any): any {
  if (!given) try { given = require("Storage"); } catch (e) { /* no Storage on this board */ }
  return given;
}
