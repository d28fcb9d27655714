// Unsaved memo drafts kept in the browser (localStorage), one per user and
// case, so nothing typed is lost to a reload, a closed tab or an ended
// session. A draft is written as the person types and removed when the
// version is saved on the service. Drafts older than two weeks are dropped,
// and signing out removes the user's drafts (on a shared computer the next
// person must not find them): the sign-out asks first when there are any.

const PREFIX = 'kansli.utkast.';
const MAX_AGE_MS = 14 * 24 * 3600 * 1000;

function key(username, caseId) { return `${PREFIX}${username}.${caseId}`; }

// { model, base, saved_at } or null. `base` is the service's latest version
// when the draft was started (0 for none).
export function readDraft(username, caseId) {
  try {
    const d = JSON.parse(localStorage.getItem(key(username, caseId)) || 'null');
    if (!d || typeof d !== 'object' || !d.model) return null;
    if (Date.now() - Date.parse(d.saved_at) > MAX_AGE_MS) {
      localStorage.removeItem(key(username, caseId));
      return null;
    }
    return d;
  } catch {
    return null;
  }
}

export function writeDraft(username, caseId, model, base) {
  try {
    localStorage.setItem(key(username, caseId), JSON.stringify({ model, base, saved_at: new Date().toISOString() }));
    return true;
  } catch {
    return false;  // storage full or off: the editor still works, without the safety net
  }
}

export function dropDraft(username, caseId) {
  localStorage.removeItem(key(username, caseId));
}

// The case ids with a draft of `username`.
export function draftCases(username) {
  const out = [];
  for (let i = 0; i < localStorage.length; i++) {
    const k = localStorage.key(i);
    if (k && k.startsWith(`${PREFIX}${username}.`) && readDraft(username, k.slice(PREFIX.length + username.length + 1))) {
      out.push(k.slice(PREFIX.length + username.length + 1));
    }
  }
  return out;
}

export function dropAllDrafts(username) {
  for (const id of draftCases(username)) dropDraft(username, id);
}
