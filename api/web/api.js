// The client's one way to the service: the public JSON API, as any program
// uses it. Browser sessions: POST /api/v1/session with cookie:true sets an
// HttpOnly cookie; every state-changing request then carries the CSRF token
// (X-CSRF-Token), kept in memory and sessionStorage so a reload recovers it
// (GET /api/v1/me answers it too). A service without cookie sessions answers
// with a bearer token instead; then the client sends Authorization: Bearer.

const CSRF_KEY = 'kansli.csrf';
const TOKEN_KEY = 'kansli.token';

const session = {
  user: null,
  csrf: sessionStorage.getItem(CSRF_KEY),
  token: sessionStorage.getItem(TOKEN_KEY),
};

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `Tjänsten svarade ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.fields = Array.isArray(problem?.errors) ? problem.errors : [];
    this.allowed = problem?.allowed || [];
  }
}

let onSignedOut = () => {};
export function whenSignedOut(fn) { onSignedOut = fn; }

export function currentUser() { return session.user; }

function authHeaders(method) {
  const headers = {};
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  if (session.csrf && method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = session.csrf;
  return headers;
}

async function problemOf(res) {
  const type = res.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    try { return await res.json(); } catch { /* fall through */ }
  }
  return { detail: `Tjänsten svarade ${res.status} ${res.statusText}` };
}

// method, path; opts: json (an object sent as JSON), body + type (raw),
// ifMatch, accept ('json' | 'text' | 'response').
export async function api(method, path, opts = {}) {
  const headers = { Accept: 'application/json', ...authHeaders(method) };
  let body;
  if (opts.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = opts.type || 'application/octet-stream';
    body = opts.body;
  }
  if (opts.ifMatch) headers['If-Match'] = opts.ifMatch;
  let res;
  try {
    res = await fetch(path, { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, { detail: 'Tjänsten går inte att nå. Kontrollera nätverket och försök igen.' });
  }
  if (!res.ok) {
    const problem = await problemOf(res);
    if (res.status === 401 && session.user && path !== '/api/v1/session') {
      forget();
      onSignedOut('Du har blivit utloggad. Logga in igen.');
    }
    throw new ApiError(res.status, problem);
  }
  if (opts.accept === 'response') return res;
  if (res.status === 204) return null;
  if (opts.accept === 'text') return res.text();
  return res.json();
}

export const get = (path, opts) => api('GET', path, opts);
export const post = (path, json, opts = {}) => api('POST', path, { ...opts, json });

function remember(csrf, token) {
  session.csrf = csrf || null;
  session.token = token || null;
  if (csrf) sessionStorage.setItem(CSRF_KEY, csrf); else sessionStorage.removeItem(CSRF_KEY);
  if (token) sessionStorage.setItem(TOKEN_KEY, token); else sessionStorage.removeItem(TOKEN_KEY);
}

function forget() {
  session.user = null;
  remember(null, null);
}

export async function signIn(username, password) {
  const r = await api('POST', '/api/v1/session', { json: { username, password, cookie: true } });
  remember(r.csrf_token, r.csrf_token ? null : r.token);
  session.user = r.user;
  return r.user;
}

export async function signOut() {
  try { await api('DELETE', '/api/v1/session'); } finally { forget(); }
}

// Who is signed in, if anyone (after a reload: the cookie, or the token).
export async function restore() {
  try {
    const me = await get('/api/v1/me');
    if (me.csrf_token) remember(me.csrf_token, null);
    session.user = me.user || me;
    return session.user;
  } catch (e) {
    if (e.status !== 401) throw e;
    forget();
    return null;
  }
}

// POST with upload progress (fetch cannot report it): onProgress(sent, total).
// With `contentType`, `json` is sent as it is (a File: a raw upload).
export function postWithProgress(path, json, onProgress, contentType) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Content-Type', contentType || 'application/json');
    xhr.setRequestHeader('Accept', 'application/json');
    for (const [k, v] of Object.entries(authHeaders('POST'))) xhr.setRequestHeader(k, v);
    xhr.upload.addEventListener('progress', (e) => { if (e.lengthComputable) onProgress(e.loaded, e.total); });
    xhr.addEventListener('load', () => {
      let parsed = null;
      try { parsed = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) resolve(parsed);
      else reject(new ApiError(xhr.status, parsed || { detail: `Tjänsten svarade ${xhr.status}` }));
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, { detail: 'Överföringen avbröts. Försök igen.' })));
    xhr.send(contentType ? json : JSON.stringify(json));
  });
}

// Fetches a document (a PDF, say) with the session, reading it with progress,
// and hands it to the browser as a download. onProgress(received, total|null).
export async function download(path, fallbackName, onProgress = () => {}, opts = {}) {
  const res = await api(opts.method || 'GET', path, { ...opts, accept: 'response' });
  const total = Number(res.headers.get('Content-Length')) || null;
  const reader = res.body.getReader();
  const chunks = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    onProgress(received, total);
  }
  const blob = new Blob(chunks, { type: res.headers.get('Content-Type') || 'application/octet-stream' });
  const disposition = res.headers.get('Content-Disposition') || '';
  const m = /filename="([^"]+)"/.exec(disposition);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = m ? m[1] : fallbackName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { name: a.download, size: received };
}
