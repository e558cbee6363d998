// The UIDs fetch() has handled, so that no message is handed on twice, even across a restart.
import { storageOr } from "./storage";

export interface SeenStore {
  has(uid: string): boolean;
  add(uid: string): void;
  /** Forgets UIDs that are no longer on the server. */
  keep(uids: string[]): void;
}

/** Handled UIDs in a Storage file when the board has one, else in RAM; at most `max` of them. */
export function seenStore(file: string, max: number, storage?: any): SeenStore {
  var S = storageOr(storage); // none: RAM only
  var uids: string[] = (S && S.readJSON(file, true)) || [];
  function save() {
    if (S) try { S.writeJSON(file, uids); } catch (e) { /* flash full: keep going in RAM */ }
  }
  return {
    has: function (uid) { return uids.indexOf(uid) >= 0; },
    add: function (uid) {
      uids.push(uid);
      if (uids.length > max) uids.shift();
      save();
    },
    keep: function (live) {
      var before = uids.length;
      uids = uids.filter(function (u) { return live.indexOf(u) >= 0; });
      if (uids.length !== before) save();
    },
  };
}
