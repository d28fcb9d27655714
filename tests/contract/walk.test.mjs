// The HTTP contract, checked by a third-party validator: every operation of
// api/openapi.yaml, as every role and anonymous, with the error cases, sent
// through Prism's validating proxy (@stoplight/prism-cli, pinned by
// package-lock.json, installed by scripts/install-deps) in front of a real
// `kansli serve --demo`. Prism reports every request and response that the
// description does not describe in the `sl-violations` header; the walk fails
// on every violation of a response (any severity: an undocumented status, a
// field the schema does not declare, a wrong media type, a missing header) and
// on every violation of a request meant to be valid. Requests built to be
// wrong (the error cases) may violate the request side, never the response
// side.
//
//   node --test walk.test.mjs  (env KANSLI_BINARY=path/to/kansli)
//   KANSLI_CONTRACT_REPORT=FILE writes every exchange with its violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml');
const here = path.dirname(fileURLToPath(import.meta.url));
const sourceDir = path.resolve(here, '..', '..');
const binary = process.env.KANSLI_BINARY || path.join(sourceDir, 'build', 'test', 'bin', 'kansli');
// KANSLI_OPENAPI: another description to check against (the tree before a change).
const specFile = process.env.KANSLI_OPENAPI || path.join(sourceDir, 'api', 'openapi.yaml');
const prismBin = path.join(here, 'node_modules', '.bin', 'prism');
const spec = yaml.load(fs.readFileSync(specFile, 'utf8'));

const TODAY = '2020-12-01';  // the service's clock (--clock-file)
const ROLES = ['registrator', 'handlaggare', 'enhetschef', 'namndsekreterare', 'ledamot', 'admin'];
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

let dataDir, kansli, prism, direct, proxy;
let prismOutput = '';
const logins = {};   // username -> password
const tokens = {};   // username -> bearer token
const exchanges = [];
const failures = [];

// ---- processes -----------------------------------------------------------------

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

function startKansli() {
  return new Promise((resolve, reject) => {
    // A set clock (after the demo's history) so that dates in the walk hold
    // whenever it runs: registrations, the meeting and its decisions today.
    const clockFile = path.join(dataDir, 'clock.txt');
    fs.writeFileSync(clockFile, `${TODAY}T08:00:00Z\n`);
    const proc = spawn(binary, ['serve', '--data-dir', dataDir, '--port', '0', '--demo', '--quiet', '--clock-file', clockFile],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`kansli serve did not start:\n${out}`)), 120_000);
    proc.stdout.on('data', (c) => {
      out += c;
      const m = /lyssnar på (http:\/\/[^/\s]+)\//.exec(out);
      if (m) { clearTimeout(timer); resolve({ proc, url: m[1] }); }
    });
    proc.stderr.on('data', (c) => { out += c; });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`kansli serve exited ${code}:\n${out}`)); });
  });
}

async function startPrism(upstream) {
  const port = await freePort();
  const proc = spawn(prismBin, ['proxy', specFile, upstream, '--host', '127.0.0.1', '--port', String(port)],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  const keep = (c) => { out += c; prismOutput = (prismOutput + c).slice(-20_000); };
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`prism exited ${proc.exitCode}:\n${out}`);
    try {
      const r = await fetch(`${url}/health`);
      await r.arrayBuffer();
      return { proc, url };
    } catch {
      if (Date.now() > deadline) throw new Error(`prism did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

async function stop(proc) {
  if (!proc || proc.exitCode !== null) return;
  proc.removeAllListeners('exit');
  proc.kill('SIGTERM');
  await new Promise((r) => { proc.once('exit', r); setTimeout(r, 10_000); });
}

before(async () => {
  assert.ok(fs.existsSync(binary), `no kansli binary at ${binary} (set KANSLI_BINARY)`);
  assert.ok(fs.existsSync(prismBin), `no prism at ${prismBin} (scripts/install-deps runs npm ci in tests/contract)`);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kansli-contract-'));
  kansli = await startKansli();
  direct = kansli.url;
  prism = await startPrism(direct);
  proxy = prism.url;
  for (const line of fs.readFileSync(path.join(dataDir, 'demo-logins.txt'), 'utf8').split('\n')) {
    const [user, , password] = line.trim().split(/\s+/);
    if (user && password) logins[user] = password;
  }
});

after(async () => {
  await stop(prism?.proc);
  await stop(kansli?.proc);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

// ---- the spec's operations -------------------------------------------------------

// "GET /api/v1/cases/{id}" -> {path template, regexp}
const operations = [];
for (const [p, item] of Object.entries(spec.paths)) {
  const re = new RegExp(`^${p.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+').replace(/\{[^}]+\}/g, '[^/]+')}$`);
  for (const m of METHODS) if (item[m]) operations.push({ key: `${m.toUpperCase()} ${p}`, method: m.toUpperCase(), path: p, re, seen: new Map() });
}
function operationOf(method, urlPath) {
  const exact = operations.filter((o) => o.method === method && o.path === urlPath);
  if (exact.length) return exact[0];
  return operations.find((o) => o.method === method && o.re.test(urlPath));
}

// ---- one exchange through the proxy ----------------------------------------------

// opts: as (a username, 'anonymous', or {cookie, csrf}), body (object -> JSON,
// string/Buffer as is), type, headers, expect (status or list), invalid (the
// request is wrong on purpose: request-side violations are expected), direct
// (past Prism, straight to the server: Prism never answers a JSON body it
// cannot parse, so a broken one is sent directly and only its status and
// problem+json type are checked).
async function call(method, urlPath, opts = {}) {
  const headers = { ...(opts.headers || {}) };
  const as = opts.as ?? 'anonymous';
  if (typeof as === 'string' && as !== 'anonymous') headers.Authorization = `Bearer ${tokens[as]}`;
  if (typeof as === 'object') {
    headers.Cookie = `kansli_session=${as.cookie}`;
    if (as.csrf && !['GET', 'HEAD'].includes(method)) headers['X-CSRF-Token'] = as.csrf;
  }
  let body = opts.body;
  if (body !== undefined && typeof body === 'object' && !Buffer.isBuffer(body)) {
    body = JSON.stringify(body);
    headers['Content-Type'] ??= 'application/json';
  }
  if (opts.type) headers['Content-Type'] = opts.type;
  let res;
  try {
    res = await fetch(`${opts.direct ? direct : proxy}${urlPath}`,
      { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(120_000) });
  } catch (e) {
    // No answer at all (the proxy or the server dropped the connection): a
    // failure of this exchange; the walk goes on.
    const label = `${method} ${urlPath} as ${typeof as === 'object' ? 'cookie' : as}${opts.note ? ` (${opts.note})` : ''}`;
    exchanges.push({ label, status: 0, violations: [] });
    failures.push({ label, status: 0, problems: [{ location: ['walk'], message: `no answer: ${e.message} (${e.cause?.message || e.cause || ''})` }] });
    if (process.env.KANSLI_CONTRACT_DEBUG) console.error(prismOutput.slice(-3000));
    return { status: 0, headers: new Headers(), body: Buffer.alloc(0), json: undefined, text: '' };
  }
  const buf = Buffer.from(await res.arrayBuffer());
  let violations = [];
  const raw = res.headers.get('sl-violations');
  if (raw) {
    try { violations = JSON.parse(raw.replace(/^Too many violations! /, '')); } catch { violations = [{ location: ['response'], message: raw }]; }
  }
  const label = `${method} ${urlPath} as ${typeof as === 'object' ? 'cookie' : as}${opts.note ? ` (${opts.note})` : ''}`;
  const op = operationOf(method, urlPath.split('?')[0]);
  if (op) op.seen.set(res.status, (op.seen.get(res.status) || 0) + 1);
  const responseSide = violations.filter((v) => v.location?.[0] !== 'request');
  const requestSide = violations.filter((v) => v.location?.[0] === 'request');
  const problems = [...responseSide];
  if (!opts.invalid) problems.push(...requestSide);
  if (opts.expect !== undefined) {
    const want = Array.isArray(opts.expect) ? opts.expect : [opts.expect];
    if (!want.includes(res.status)) problems.push({ location: ['walk'], message: `status ${res.status}, expected ${want.join(' or ')}: ${buf.toString('utf8').slice(0, 300)}` });
  }
  if (opts.direct && !/^application\/problem\+json/.test(res.headers.get('content-type') || '')) {
    problems.push({ location: ['walk'], message: `not a problem+json answer: ${res.headers.get('content-type')}` });
  }
  if (res.status === 404 && /NO_PATH_MATCHED|NO_METHOD_MATCHED/.test(buf.toString('utf8'))) {
    problems.push({ location: ['walk'], message: 'Prism knows no such operation' });
  }
  exchanges.push({ label, status: res.status, violations });
  if (problems.length) failures.push({ label, status: res.status, problems });
  let json;
  try { json = JSON.parse(buf.toString('utf8')); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, body: buf, json, text: buf.toString('utf8') };
}

// ---- the walk ----------------------------------------------------------------------

const b64 = (s) => Buffer.from(s).toString('base64');
const memoXml = () => fs.readFileSync(path.join(sourceDir, 'samples', 'nacka', 'memo-SOCN-2020-262.xml'), 'utf8');
const FORMATS = ['txt', 'html', 'pdf', 'docx', 'odt'];

test('every operation of api/openapi.yaml, as every role, through Prism', { timeout: 900_000 }, async () => {
  // Sessions: one bearer token per demo user, one cookie session.
  await call('POST', '/api/v1/session', { body: { username: 'admin', password: 'fel-lösenord-här' }, expect: 401, note: 'wrong password' });
  await call('POST', '/api/v1/session', { body: { username: 'admin' }, expect: 400, invalid: true, note: 'no password' });
  await call('POST', '/api/v1/session', { body: '{"username":', type: 'application/json', expect: 400, invalid: true, direct: true, note: 'broken JSON' });
  for (const [user, password] of Object.entries(logins)) {
    const r = await call('POST', '/api/v1/session', { body: { username: user, password }, expect: 201 });
    tokens[user] = r.json?.token;
  }
  assert.ok(tokens.admin, 'no admin session: the walk cannot go on');
  const cookieSignIn = await call('POST', '/api/v1/session', { body: { username: 'handlaggare', password: logins.handlaggare, cookie: true }, expect: 201, note: 'cookie' });
  const cookie = { cookie: /kansli_session=([^;]+)/.exec(cookieSignIn.headers.get('set-cookie') || '')?.[1], csrf: cookieSignIn.json?.csrf_token };
  const cookieNoCsrf = { cookie: cookie.cookie };
  const everyone = [...Object.keys(tokens), 'anonymous'];

  // System and who am I.
  for (const as of everyone) {
    await call('GET', '/health', { as, expect: 200 });
    await call('GET', '/api/v1/me', { as, expect: as === 'anonymous' ? 401 : 200, invalid: as === 'anonymous' });
    await call('GET', '/api/v1/committees', { as, expect: as === 'anonymous' ? 401 : 200, invalid: as === 'anonymous' });
    await call('GET', '/api/v1/workflows', { as, expect: as === 'anonymous' ? 401 : 200, invalid: as === 'anonymous' });
  }
  await call('GET', '/metrics', { as: 'admin', expect: 200 });
  await call('GET', '/api/v1/me', { as: cookie, expect: 200 });
  await call('GET', '/api/v1/me', { as: { cookie: 'not-a-session' }, expect: 401, invalid: true, note: 'dead cookie' });
  await call('GET', '/api/v1/me', { headers: { Authorization: 'Bearer not-a-token' }, expect: 401, invalid: true, note: 'dead token' });
  const wfs = (await call('GET', '/api/v1/workflows', { as: 'ledamot' })).json?.items || [];
  for (const wf of wfs) {
    await call('GET', `/api/v1/workflows/${encodeURIComponent(wf.id)}`, { as: 'ledamot', expect: 200 });
    await call('GET', `/api/v1/workflows/${encodeURIComponent(wf.id)}?version=${wf.version}`, { as: 'ledamot', expect: 200 });
  }
  await call('GET', '/api/v1/workflows/finns-inte', { as: 'ledamot', expect: 404 });
  await call('GET', '/api/v1/workflows/motion?version=x', { as: 'ledamot', expect: [400, 404], invalid: true, note: 'version not a number' });

  // Users (admin): add, read where Location says, change, refusals.
  for (const as of everyone) {
    await call('GET', '/api/v1/users', { as, expect: as === 'admin' ? 200 : as === 'anonymous' ? 401 : 403, invalid: as === 'anonymous' });
  }
  const added = await call('POST', '/api/v1/users', { as: 'admin', body: { username: 'kontrakt', name: 'Kim Kontrakt', role: 'handlaggare', unit: 'bfe', password: 'ett-långt-lösenord-för-kontrakt' }, expect: 201 });
  const userLocation = added.headers.get('location');
  if (userLocation) await call('GET', userLocation, { as: 'admin', expect: 200, note: 'the Location of POST /users' });
  await call('POST', '/api/v1/users', { as: 'admin', body: { username: 'kontrakt', name: 'Kim', role: 'handlaggare', unit: 'bfe', password: 'ett-långt-lösenord-för-kontrakt' }, expect: 409, note: 'taken' });
  await call('POST', '/api/v1/users', { as: 'admin', body: { username: 'x', role: 'kung', password: 'kort' }, expect: 400, invalid: true, note: 'bad fields' });
  await call('POST', '/api/v1/users', { as: 'registrator', body: { username: 'y', name: 'Y', role: 'admin', password: 'ett-långt-lösenord-för-y' }, expect: 403 });
  await call('POST', '/api/v1/users', { as: 'admin', body: '{"username":"z",' + '"name":"' + 'x'.repeat(9 * 1024 * 1024) + '"}', type: 'application/json', expect: 413, invalid: true, note: 'too large' });
  await call('PATCH', '/api/v1/users/kontrakt', { as: 'admin', body: { disabled: true }, expect: 200 });
  await call('PATCH', '/api/v1/users/kontrakt', { as: 'admin', body: { disabled: false }, expect: 200 });
  await call('PATCH', '/api/v1/users/finns-inte', { as: 'admin', body: { disabled: true }, expect: 404 });
  await call('PATCH', '/api/v1/users/kontrakt', { as: 'admin', body: { disabled: 'ja' }, expect: 400, invalid: true, note: 'not a boolean' });
  await call('PATCH', '/api/v1/users/kontrakt', { as: 'ledamot', body: { disabled: true }, expect: 403 });

  // The directory and the accounts' own routes (#15): pickers for everyone
  // signed in, editing users and one-time passwords for admins, every
  // user's own password and sessions.
  for (const as of everyone) {
    const anon = as === 'anonymous';
    for (const p of ['/api/v1/people?role=handlaggare,enhetschef&unit=bfe', '/api/v1/people?role=ledamot&committee=SOCN',
      '/api/v1/units?committee=SOCN', '/api/v1/secrecy-provisions', '/api/v1/me/sessions']) {
      await call('GET', p, { as, expect: anon ? 401 : 200, invalid: anon });
    }
  }
  await call('GET', '/api/v1/people?role=kung', { as: 'registrator', expect: 400 });
  await call('GET', '/api/v1/units?committee=XN', { as: 'registrator', expect: 400 });
  await call('PATCH', '/api/v1/users/kontrakt', { as: 'admin', body: { title: 'Socialsekreterare', email: 'kim@nacka.se', phone: '08-718 80 00', unit: null, committee: 'SOCN' }, expect: 200 });
  await call('PATCH', '/api/v1/users/kontrakt', { as: 'admin', body: { email: 'kim' }, expect: 400, note: 'not an e-mail address' });
  await call('PATCH', '/api/v1/users/admin', { as: 'admin', body: { role: 'registrator' }, expect: 409, note: 'own admin role' });
  await call('POST', '/api/v1/users', { as: 'admin', body: { username: 'engang', name: 'Eva Engång', role: 'registrator' }, expect: 201, note: 'one-time password' });
  await call('POST', '/api/v1/users/kontrakt/password-reset', { as: 'registrator', expect: 403 });
  await call('POST', '/api/v1/users/finns-inte/password-reset', { as: 'admin', expect: 404 });
  const reset = await call('POST', '/api/v1/users/kontrakt/password-reset', { as: 'admin', expect: 200 });
  const oneTime = reset.json?.one_time_password;
  await call('POST', '/api/v1/session', { body: { username: 'kontrakt', password: oneTime }, expect: 403, note: 'one-time password, no new one' });
  const own = await call('POST', '/api/v1/session', { body: { username: 'kontrakt', password: oneTime, new_password: 'kontraktets-eget-lösenord' }, expect: 201, note: 'new password' });
  tokens.kontrakt = own.json?.token;
  const second = await call('POST', '/api/v1/session', { body: { username: 'kontrakt', password: 'kontraktets-eget-lösenord' }, expect: 201, note: 'a second session' });
  await call('POST', '/api/v1/me/password', { as: 'kontrakt', body: { current_password: 'fel-lösenord-här', new_password: 'ett-annat-långt-lösenord' }, expect: 400, note: 'wrong current password' });
  const sessions = (await call('GET', '/api/v1/me/sessions', { as: 'kontrakt', expect: 200 })).json?.items || [];
  const other = sessions.find((x) => !x.current);
  if (other) await call('DELETE', `/api/v1/me/sessions/${other.id}`, { as: 'kontrakt', expect: 204 });
  await call('DELETE', '/api/v1/me/sessions/finns-inte', { as: 'kontrakt', expect: 404 });
  assert.ok(other && second.json?.token, 'kontrakt has a second session to end');
  await call('POST', '/api/v1/me/password', { as: 'kontrakt', body: { current_password: 'kontraktets-eget-lösenord', new_password: 'ett-annat-långt-lösenord' }, expect: 204 });

  // The reference case of the demo: everything readable, every format.
  const ref = (await call('GET', '/api/v1/cases?dnr=' + encodeURIComponent('SOCN 2020/262'), { as: 'registrator', expect: 200 })).json?.items?.[0];
  assert.ok(ref, 'the demo has no reference case');
  const meetings = (await call('GET', '/api/v1/meetings', { as: 'namndsekreterare', expect: 200 })).json?.items || [];
  const meeting = meetings[0];
  const decisions = (await call('GET', '/api/v1/decisions', { as: 'ledamot', expect: 200 })).json?.items || [];
  for (const as of everyone) {
    const anon = as === 'anonymous';
    const signedIn = anon ? 401 : undefined;
    await call('GET', '/api/v1/cases', { as, expect: signedIn ?? 200, invalid: anon });
    await call('GET', `/api/v1/cases?q=barn&committee=SOCN&kind=politikerinitiativ&year=2020&limit=5`, { as, expect: signedIn ?? 200, invalid: anon });
    await call('GET', `/api/v1/cases/${ref.id}`, { as, expect: signedIn ?? [200, 404], invalid: anon });
    await call('GET', `/api/v1/cases/${ref.id}/documents`, { as, expect: signedIn ?? [200, 404], invalid: anon });
    await call('GET', `/api/v1/cases/${ref.id}/documents/1/content`, { as, expect: signedIn ?? [200, 404], invalid: anon });
    await call('GET', `/api/v1/cases/${ref.id}/history`, { as, expect: signedIn ?? [200, 404], invalid: anon });
    await call('GET', `/api/v1/cases/${ref.id}/transitions`, { as, expect: signedIn ?? [200, 404], invalid: anon });
    await call('GET', `/api/v1/cases/${ref.id}/memo/versions`, { as, expect: signedIn ?? [200, 404], invalid: anon });
    await call('GET', `/api/v1/cases/${ref.id}/memo/diff?from=1&to=1`, { as, expect: signedIn ?? [200, 404], invalid: anon });
    for (const f of ['xml', ...FORMATS]) {
      await call('GET', `/api/v1/cases/${ref.id}/memo?format=${f}`, { as, expect: signedIn ?? [200, 404], invalid: anon });
    }
    await call('GET', '/api/v1/meetings', { as, expect: signedIn ?? 200, invalid: anon });
    await call('GET', '/api/v1/decisions?q=barn&outcome=bifall', { as, expect: signedIn ?? 200, invalid: anon });
    if (meeting) {
      await call('GET', `/api/v1/meetings/${meeting.id}`, { as, expect: signedIn ?? [200, 404], invalid: anon });
      for (const f of FORMATS) {
        await call('GET', `/api/v1/meetings/${meeting.id}/agenda?format=${f}`, { as, expect: signedIn ?? [200, 404], invalid: anon });
        await call('GET', `/api/v1/meetings/${meeting.id}/protocol?format=${f}`, { as, expect: signedIn ?? [200, 404], invalid: anon });
        await call('GET', `/api/v1/public/anslag/${meeting.id}/protocol?format=${f}`, { as, expect: 200 });
      }
    }
    for (const d of decisions) {
      for (const f of ['json', 'txt', 'html', 'pdf', 'docx', 'odt']) {
        await call('GET', `/api/v1/decisions/${d.id}?format=${f}`, { as, expect: signedIn ?? [200, 404], invalid: anon });
        await call('GET', `/api/v1/public/decisions/${d.id}?format=${f}`, { as, expect: [200, 404] });
      }
    }
    await call('GET', '/api/v1/public/diarium?q=barn', { as, expect: 200 });
    await call('GET', `/api/v1/public/diarium/${ref.id}`, { as, expect: 200 });
    await call('GET', '/api/v1/public/decisions?q=barn', { as, expect: 200 });
    await call('GET', '/api/v1/public/anslag', { as, expect: 200 });
    await call('GET', '/', { as, expect: 200 });
    await call('GET', '/static/app.js', { as, expect: 200 });
  }
  await call('GET', `/api/v1/cases/${ref.id}`, { as: cookie, expect: 200 });

  // Conditional and negotiated reads.
  const refAgain = await call('GET', `/api/v1/cases/${ref.id}`, { as: 'registrator', expect: 200 });
  await call('GET', `/api/v1/cases/${ref.id}`, { as: 'registrator', headers: { 'If-None-Match': refAgain.headers.get('etag') }, expect: 304 });
  const app = await call('GET', '/static/app.js', { expect: 200 });
  await call('GET', '/static/app.js', { headers: { 'If-None-Match': app.headers.get('etag') }, expect: 304 });
  await call('GET', `/api/v1/cases/${ref.id}/memo?format=pdf`, { as: 'enhetschef', headers: { Accept: 'application/pdf' }, expect: 200 });
  await call('GET', `/api/v1/cases/${ref.id}/memo`, { as: 'enhetschef', headers: { Accept: 'application/pdf' }, expect: 200, note: 'Accept alone' });
  await call('GET', `/api/v1/cases/${ref.id}/memo`, { as: 'enhetschef', headers: { Accept: 'text/csv' }, expect: 406, invalid: true });
  await call('GET', `/api/v1/cases/${ref.id}/memo?format=pdf`, { as: 'enhetschef', headers: { Accept: 'application/json' }, expect: 200, note: '?format= wins' });
  await call('GET', `/api/v1/cases/${ref.id}/memo?format=gif`, { as: 'enhetschef', expect: 400, invalid: true });

  // Errors every reading route has.
  await call('GET', '/api/v1/cases/999999', { as: 'admin', expect: 404 });
  await call('GET', '/api/v1/cases/abc', { as: 'admin', expect: 404, invalid: true });
  await call('GET', `/api/v1/cases/${ref.id}/documents/99/content`, { as: 'registrator', expect: 404 });
  await call('GET', '/api/v1/cases?year=abc', { as: 'admin', expect: 400, invalid: true });
  await call('GET', '/api/v1/cases?limit=1000', { as: 'admin', expect: 400, invalid: true });
  await call('GET', '/api/v1/cases?overdue=kanske', { as: 'admin', expect: 400, invalid: true });
  await call('GET', '/api/v1/cases?from=igår', { as: 'admin', expect: 400, invalid: true });
  await call('GET', '/api/v1/decisions?outcome=kanske', { as: 'admin', expect: 400, invalid: true });
  await call('GET', '/api/v1/public/decisions?outcome=kanske', { expect: 400, invalid: true });
  await call('GET', '/api/v1/public/diarium?year=19', { expect: 400, invalid: true });
  await call('GET', '/api/v1/decisions/999999', { as: 'admin', expect: 404 });
  await call('GET', '/api/v1/public/decisions/999999', { expect: 404 });
  await call('GET', '/api/v1/meetings/999999', { as: 'admin', expect: 404 });
  await call('GET', '/api/v1/public/anslag/999999/protocol', { expect: 404 });
  await call('GET', '/api/v1/public/diarium/999999', { expect: 404 });
  await call('GET', '/static/finns-inte.js', { expect: 404 });

  // A new case from registration to the meeting, by the roles that do it.
  const created = await call('POST', '/api/v1/cases', { as: 'registrator', expect: 201, body: {
    committee: 'SOCN', kind: 'politikerinitiativ', subject: 'Kontraktsprov av diariet', received: '2020-09-01',
    senders: [{ name: 'Anna Avsändare', party: 'S' }, { name: 'Föreningen Exempel', organisation: 'Föreningen Exempel' }],
  } });
  const id = created.json?.id;
  assert.ok(id, 'case registration failed');
  if (created.headers.get('location')) await call('GET', created.headers.get('location'), { as: 'registrator', expect: 200 });
  await call('POST', '/api/v1/cases', { as: 'registrator', body: { committee: 'XYZ', subject: '' }, expect: 400, invalid: true });
  await call('POST', '/api/v1/cases', { as: 'registrator', body: { committee: 'SOCN', kind: 'okand', subject: 'x', received: '2020-09-01', senders: [{ name: 'A' }] }, expect: [400, 422] });
  await call('POST', '/api/v1/cases', { as: 'registrator', body: 'inte json', type: 'text/plain', expect: 400, invalid: true, note: 'not JSON' });
  for (const as of ['handlaggare', 'ledamot', 'admin']) {
    await call('POST', '/api/v1/cases', { as, body: { committee: 'SOCN', kind: 'politikerinitiativ', subject: 'x', received: '2020-09-01', senders: [{ name: 'A' }] }, expect: 403 });
  }
  await call('POST', '/api/v1/cases', { body: { committee: 'SOCN' }, expect: 401, invalid: true });

  const doc = await call('POST', `/api/v1/cases/${id}/documents`, { as: 'registrator', expect: 201, body: {
    direction: 'inkommen', date: '2020-09-01', title: 'Initiativet', counterpart: 'Anna Avsändare',
    media_type: 'application/pdf', content_base64: b64('%PDF-1.4\n% kontrakt\n'),
  } });
  if (doc.headers.get('location')) await call('GET', doc.headers.get('location'), { as: 'registrator', expect: [200, 405], note: 'the Location of a new document' });
  await call('POST', `/api/v1/cases/${id}/documents?direction=inkommen&date=2020-09-02&title=${encodeURIComponent('Bilaga, rå uppladdning')}`,
    { as: 'registrator', body: Buffer.from('%PDF-1.4\n% rå\n'), type: 'application/pdf', expect: 201, note: 'raw upload' });
  await call('POST', `/api/v1/cases/${id}/documents`, { as: 'registrator', body: { direction: 'inkommen', date: '2020-09-01', title: 'X', media_type: 'text/html\r\nX-Injected: 1' }, expect: 400, invalid: true, note: 'CR/LF in media_type' });
  await call('POST', `/api/v1/cases/${id}/documents`, { as: 'registrator', body: { direction: 'sidled', date: '2020-09-01', title: 'X' }, expect: 400, invalid: true });
  await call('POST', `/api/v1/cases/${id}/documents`, { as: 'registrator', body: { direction: 'inkommen', date: '2020-09-01', title: 'X', content_base64: '***' }, expect: 400, invalid: true });
  await call('POST', `/api/v1/cases/${id}/documents`, { as: 'ledamot', body: { direction: 'inkommen', date: '2020-09-01', title: 'X' }, expect: 403 });
  await call('POST', '/api/v1/cases/999999/documents', { as: 'registrator', body: { direction: 'inkommen', date: '2020-09-01', title: 'X' }, expect: 404 });
  await call('GET', `/api/v1/cases/${id}/documents`, { as: 'registrator', expect: 200 });
  await call('GET', `/api/v1/cases/${id}/documents/1/content`, { as: 'registrator', expect: 200 });
  await call('GET', `/api/v1/cases/${id}/documents/2/content`, { as: 'registrator', expect: 200 });

  await call('POST', `/api/v1/cases/${id}/corrections`, { as: 'registrator', body: { reason: 'Stavfel', subject: 'Kontraktsprov av diariet, rättat' }, expect: 200 });
  await call('POST', `/api/v1/cases/${id}/corrections`, { as: 'registrator', body: { subject: 'utan skäl' }, expect: 400, invalid: true });
  await call('POST', `/api/v1/cases/${id}/corrections`, { as: 'handlaggare', body: { reason: 'x' }, expect: 403 });

  // Transitions with If-Match: missing, foreign, stale, right; as the roles.
  const etagOf = async (as) => (await call('GET', `/api/v1/cases/${id}`, { as, expect: 200 })).headers.get('etag');
  let etag = await etagOf('registrator');
  for (const as of everyone) {
    const r = await call('GET', `/api/v1/cases/${id}/transitions`, { as, expect: as === 'anonymous' ? 401 : [200, 404], invalid: as === 'anonymous' });
    void r;
  }
  await call('POST', `/api/v1/cases/${id}/transitions`, { as: 'registrator', body: { transition: 'tilldela_enhet', unit: 'bfe' }, expect: 428, invalid: true, note: 'no If-Match' });
  await call('POST', `/api/v1/cases/${id}/transitions`, { as: 'registrator', headers: { 'If-Match': '"abc"' }, body: { transition: 'tilldela_enhet', unit: 'bfe' }, expect: 412, note: 'foreign entity-tag' });
  await call('POST', `/api/v1/cases/${id}/transitions`, { as: 'registrator', headers: { 'If-Match': '"999"' }, body: { transition: 'tilldela_enhet', unit: 'bfe' }, expect: 412, note: 'stale' });
  await call('POST', `/api/v1/cases/${id}/transitions`, { as: 'registrator', headers: { 'If-Match': etag }, body: { transition: 'flyga' }, expect: 400, note: 'unknown transition' });
  await call('POST', `/api/v1/cases/${id}/transitions`, { as: 'ledamot', headers: { 'If-Match': etag }, body: { transition: 'tilldela_enhet', unit: 'bfe' }, expect: 403 });
  await call('POST', `/api/v1/cases/${id}/transitions`, { as: 'registrator', headers: { 'If-Match': etag }, body: { unit: 'bfe' }, expect: 400, invalid: true });
  await call('POST', `/api/v1/cases/${id}/transitions`, { as: 'registrator', headers: { 'If-Match': etag }, body: { transition: 'tilldela_enhet', unit: 'bfe' }, expect: 200 });
  etag = await etagOf('enhetschef');
  await call('POST', `/api/v1/cases/${id}/transitions`, { as: 'enhetschef', headers: { 'If-Match': etag }, body: { transition: 'tilldela_handlaggare', officer: 'handlaggare' }, expect: 200 });

  // The memo: drafts, the preview, every format, versions and diff; cookie session with and without CSRF.
  const xml = memoXml();
  await call('PUT', `/api/v1/cases/${id}/memo`, { as: 'handlaggare', body: xml, type: 'application/xml', expect: 201 });
  await call('PUT', `/api/v1/cases/${id}/memo`, { as: cookie, body: xml.replace('</memo>', '</memo>\n'), type: 'application/xml', expect: 201, note: 'cookie with CSRF' });
  await call('PUT', `/api/v1/cases/${id}/memo`, { as: cookieNoCsrf, body: xml, type: 'application/xml', expect: 403, note: 'cookie without CSRF' });
  await call('PUT', `/api/v1/cases/${id}/memo`, { as: 'handlaggare', body: '<memo><oops', type: 'application/xml', expect: [400, 422], invalid: true });
  await call('PUT', `/api/v1/cases/${id}/memo`, { as: 'handlaggare', body: '<!DOCTYPE memo [<!ENTITY x "y">]><memo/>', type: 'application/xml', expect: [400, 422] });
  await call('PUT', `/api/v1/cases/${id}/memo`, { as: 'ledamot', body: xml, type: 'application/xml', expect: 403 });
  for (const f of ['html', 'txt', 'pdf']) await call('POST', `/api/v1/cases/${id}/memo/preview?format=${f}`, { as: 'handlaggare', body: xml, type: 'application/xml', expect: 200 });
  await call('POST', `/api/v1/cases/${id}/memo/preview`, { as: 'handlaggare', body: xml, type: 'application/xml', expect: 200 });
  await call('POST', `/api/v1/cases/${id}/memo/preview`, { as: 'registrator', body: xml, type: 'application/xml', expect: 403 });
  for (const f of ['xml', ...FORMATS]) await call('GET', `/api/v1/cases/${id}/memo?format=${f}&version=1`, { as: 'handlaggare', expect: 200 });
  await call('GET', `/api/v1/cases/${id}/memo?version=99`, { as: 'handlaggare', expect: 404 });
  await call('GET', `/api/v1/cases/${id}/memo/versions`, { as: 'handlaggare', expect: 200 });
  await call('GET', `/api/v1/cases/${id}/memo/diff?from=1&to=2`, { as: 'handlaggare', expect: 200 });
  await call('GET', `/api/v1/cases/${id}/memo/diff?from=x&to=2`, { as: 'handlaggare', expect: 400, invalid: true });
  await call('GET', `/api/v1/cases/${id}/history`, { as: 'handlaggare', expect: 200 });
  etag = await etagOf('handlaggare');
  await call('POST', `/api/v1/cases/${id}/transitions`, { as: 'handlaggare', headers: { 'If-Match': etag }, body: { transition: 'skicka_for_godkannande' }, expect: 200 });
  etag = await etagOf('enhetschef');
  await call('POST', `/api/v1/cases/${id}/transitions`, { as: 'enhetschef', headers: { 'If-Match': etag }, body: { transition: 'godkann' }, expect: 200 });
  await call('POST', `/api/v1/cases/${id}/migrate`, { as: 'admin', body: { version: 1, reason: 'Kontraktsprov' }, expect: [200, 409] });
  await call('POST', `/api/v1/cases/${id}/migrate`, { as: 'admin', body: { version: 'ett', reason: 'x' }, expect: 400, invalid: true });
  await call('POST', `/api/v1/cases/${id}/migrate`, { as: 'admin', body: { version: 1 }, expect: 400, invalid: true, note: 'no reason' });
  await call('POST', `/api/v1/cases/${id}/migrate`, { as: 'registrator', body: { version: 1, reason: 'x' }, expect: 403 });

  // A meeting today: create, items, the notice and its versions, decisions and
  // their corrections, minutes, justering (after the password again), anslag,
  // rättelse, expediering.
  const meetingDate = TODAY;
  const attendance = [
    { name: 'Lars Ledamot', role: 'ordförande', username: 'ledamot' },
    { name: 'Jenny Justerare', role: 'ledamot', username: 'justerare' },
    { name: 'Anna Avsändare', party: 'S', role: 'ledamot' },
    { name: 'Per Person', party: 'M', role: 'ledamot' },
    { name: 'Eva Ersättare', party: 'KD', role: 'ersättare', substitute_for: 'Olle Olsson (KD)' },
    { name: 'Sara Sekreterare', role: 'sekreterare' },
  ];
  const m = await call('POST', '/api/v1/meetings', { as: 'namndsekreterare', expect: 201, body: {
    committee: 'SOCN', date: meetingDate, time: '17:00', place: 'Stadshuset', chair: 'ledamot', adjusters: ['justerare'],
    attendance,
  } });
  const mid = m.json?.id;
  assert.ok(mid, 'meeting creation failed');
  await call('POST', '/api/v1/meetings', { as: 'namndsekreterare', body: { committee: 'SOCN' }, expect: 400, invalid: true });
  await call('POST', '/api/v1/meetings', { as: 'namndsekreterare', body: { committee: 'SOCN', date: meetingDate, chair: 'ledamot', adjusters: ['ledamot'] }, expect: 422, note: 'the chair cannot be the adjuster' });
  await call('POST', '/api/v1/meetings', { as: 'ledamot', body: { committee: 'SOCN', date: '2020-10-27' }, expect: 403 });
  await call('POST', `/api/v1/meetings/${mid}/items`, { as: 'namndsekreterare', body: { title: 'Information', kind: 'information' }, expect: 201 });
  await call('POST', `/api/v1/meetings/${mid}/items`, { as: 'namndsekreterare', body: { case: id }, expect: 201 });
  await call('POST', `/api/v1/meetings/${mid}/items`, { as: 'namndsekreterare', body: { case: id }, expect: 409, note: 'already on the agenda' });
  await call('POST', `/api/v1/meetings/${mid}/items`, { as: 'namndsekreterare', body: {}, expect: [400, 422], invalid: true });
  await call('POST', `/api/v1/meetings/${mid}/items`, { as: 'handlaggare', body: { title: 'x' }, expect: 403 });
  await call('POST', `/api/v1/meetings/${mid}/notice`, { as: 'namndsekreterare', expect: 200 });
  await call('POST', `/api/v1/meetings/${mid}/notice`, { as: 'namndsekreterare', expect: 409, note: 'nothing changed' });
  await call('POST', `/api/v1/meetings/${mid}/items`, { as: 'namndsekreterare', body: { title: 'Val av justerare', position: 1 }, expect: 201 });
  await call('PUT', `/api/v1/meetings/${mid}/agenda/order`, { as: 'namndsekreterare', body: { order: [1, 3, 2] }, expect: 200 });
  await call('PUT', `/api/v1/meetings/${mid}/agenda/order`, { as: 'namndsekreterare', body: { order: [1, 1] }, expect: 400, invalid: true });
  await call('DELETE', `/api/v1/meetings/${mid}/items/3`, { as: 'namndsekreterare', expect: 200 });
  await call('DELETE', `/api/v1/meetings/${mid}/items/9`, { as: 'namndsekreterare', expect: 404 });
  await call('PATCH', `/api/v1/meetings/${mid}`, { as: 'namndsekreterare', body: { place: 'Stadshuset, sal B', end_time: '18:30', attendance }, expect: 200 });
  await call('PATCH', `/api/v1/meetings/${mid}`, { as: 'namndsekreterare', body: { time: 'sent' }, expect: 400, invalid: true });
  await call('POST', `/api/v1/meetings/${mid}/notice`, { as: 'namndsekreterare', expect: 200, note: 'version 2' });
  await call('GET', `/api/v1/meetings/${mid}`, { as: 'namndsekreterare', expect: 200 });
  for (const f of FORMATS) await call('GET', `/api/v1/meetings/${mid}/agenda?format=${f}`, { as: 'ledamot', expect: 200 });
  await call('GET', `/api/v1/meetings/${mid}/agenda?format=pdf&handlingar=nej`, { as: 'ledamot', expect: 200 });
  for (const f of FORMATS) await call('GET', `/api/v1/public/meetings/${mid}/agenda?format=${f}`, { expect: 200 });
  await call('GET', '/api/v1/public/meetings/999999/agenda', { expect: 404 });
  await call('GET', `/api/v1/meetings/${mid}/agenda?format=gif`, { as: 'ledamot', expect: 400, invalid: true });
  await call('GET', `/api/v1/meetings/${mid}/protocol?format=txt`, { as: 'ledamot', expect: 409, note: 'no minutes yet' });
  await call('POST', `/api/v1/meetings/${mid}/items/2/decision`, { as: 'namndsekreterare', body: { outcome: 'bifall' }, expect: [400, 422], invalid: true, note: 'neither text nor clauses' });
  await call('POST', `/api/v1/meetings/${mid}/items/2/decision`, { as: 'namndsekreterare', body: { outcome: 'kanske', text: 'x' }, expect: 400, invalid: true });
  await call('POST', `/api/v1/meetings/${mid}/items/1/decision`, { as: 'namndsekreterare', body: { outcome: 'bifall', text: 'x' }, expect: 422, note: 'a standing item is noted' });
  await call('POST', `/api/v1/meetings/${mid}/items/1/decision`, { as: 'namndsekreterare', body: { outcome: 'noteras', text: 'Nämnden utser Jenny Justerare att justera.' }, expect: 201 });
  await call('POST', `/api/v1/meetings/${mid}/items/2/decision`, { as: 'namndsekreterare', expect: 201, body: {
    outcome: 'bifall', clauses: ['Nämnden bifaller initiativet.', 'Initiativet är färdigbehandlat.'],
    summary: 'Initiativet gäller stöd.', basis: ['Tjänsteskrivelse'], speakers: ['Anna Avsändare (S)'],
    motions: [{ mover: 'Anna Avsändare (S)', text: 'Bifall', supporters: ['Eva Ersättare (KD)'] }, { mover: 'Per Person (M)', text: 'Avslag' }],
    propositions: ['Ordföranden finner att nämnden bifaller.'], votes: { yes: 3, no: 1, abstain: 0 },
    votings: [{ proposition: 'Ja för bifall, nej för avslag', ballots: [{ name: 'Lars Ledamot', vote: 'ja' }, { name: 'Per Person (M)', vote: 'nej' }] }],
    reservations: [{ name: 'Per Person (M)', reason: 'Till förmån för eget förslag' }],
    notes: [{ name: 'Anna Avsändare (S)', text: 'Följ upp.' }], send_to: ['Barn- och familjeenheten', 'Akt'],
  } });
  await call('POST', `/api/v1/meetings/${mid}/items/2/decision`, { as: 'namndsekreterare', body: { outcome: 'bifall', text: 'x', reservations: [{ name: 'Okänd' }] }, expect: 409, note: 'decided already' });
  await call('PUT', `/api/v1/meetings/${mid}/items/2/decision`, { as: 'namndsekreterare', body: { outcome: 'avslag', text: 'Nämnden avslår.', reason: 'Fel utfall antecknat', send_to: ['Barn- och familjeenheten', 'Akt'] }, expect: 200, note: 'a correction is the whole decision again: without send_to nothing is expedited' });
  await call('PUT', `/api/v1/meetings/${mid}/items/2/decision`, { as: 'namndsekreterare', body: { outcome: 'avslag', text: 'x' }, expect: 400, invalid: true, note: 'no reason' });
  await call('POST', `/api/v1/meetings/${mid}/items/9/decision`, { as: 'namndsekreterare', body: { outcome: 'bifall', text: 'x' }, expect: 404 });
  await call('POST', `/api/v1/meetings/${mid}/items/2/decision/rattelse`, { as: 'namndsekreterare', body: { text: 'x', reason: 'y' }, expect: 409, note: 'before justering' });
  await call('POST', `/api/v1/meetings/${mid}/attest`, { as: 'ledamot', expect: 409, note: 'before the minutes' });
  await call('POST', `/api/v1/meetings/${mid}/minutes`, { as: 'namndsekreterare', expect: 200 });
  for (const f of FORMATS) await call('GET', `/api/v1/meetings/${mid}/protocol?format=${f}`, { as: 'ledamot', expect: 200 });
  await call('POST', `/api/v1/meetings/${mid}/post`, { as: 'namndsekreterare', expect: 409, note: 'not attested' });
  await call('POST', `/api/v1/meetings/${mid}/attest`, { as: 'handlaggare', expect: 403 });
  await call('POST', `/api/v1/meetings/${mid}/attest`, { as: 'ledamot', expect: 403, note: 'not confirmed' });
  await call('POST', '/api/v1/session/confirm', { as: 'ledamot', body: { password: 'inte-lösenordet' }, expect: 422, invalid: true });
  await call('POST', '/api/v1/session/confirm', { as: 'ledamot', body: {}, expect: 400, invalid: true });
  for (const who of ['ledamot', 'justerare']) {
    await call('POST', '/api/v1/session/confirm', { as: who, body: { password: logins[who] }, expect: 200 });
    await call('POST', `/api/v1/meetings/${mid}/attest`, { as: who, expect: 200 });
  }
  await call('POST', `/api/v1/meetings/${mid}/items/2/decision/rattelse`, { as: 'namndsekreterare', body: { text: 'Nämnden avslår initiativet.', reason: 'Skrivfel' }, expect: 201 });
  await call('POST', `/api/v1/meetings/${mid}/items/2/decision/rattelse`, { as: 'namndsekreterare', body: { text: 'x' }, expect: 400, invalid: true });
  await call('POST', `/api/v1/meetings/${mid}/post`, { as: 'ledamot', expect: 403 });
  await call('POST', `/api/v1/meetings/${mid}/post`, { as: 'namndsekreterare', expect: 200 });
  await call('POST', `/api/v1/meetings/${mid}/post`, { as: 'namndsekreterare', expect: 409, note: 'posted twice' });
  // Expediering: the outbox of the meeting (no SMTP: queued, or on the post list).
  const outbox = (await call('GET', `/api/v1/meetings/${mid}/expediering`, { as: 'namndsekreterare', expect: 200 })).json?.items || [];
  await call('GET', `/api/v1/meetings/${mid}/expediering`, { as: 'ledamot', expect: 403 });
  await call('GET', '/api/v1/outbox?limit=10', { as: 'namndsekreterare', expect: 200 });
  await call('GET', '/api/v1/outbox?limit=x', { as: 'namndsekreterare', expect: 400, invalid: true });
  // The extract to Barn- och familjeenheten is queued: the outbox routes are
  // walked on a real row, never skipped.
  const first = outbox[0];
  assert.ok(first, 'the meeting queued no extract (send_to of the corrected decision)');
  await call('GET', `/api/v1/outbox/${first.id}`, { as: 'namndsekreterare', expect: 200 });
  await call('GET', `/api/v1/outbox/${first.id}/attachment`, { as: 'namndsekreterare', expect: 200 });
  await call('POST', `/api/v1/outbox/${first.id}/retry`, { as: 'namndsekreterare', expect: [200, 409], note: 'queued: now; post: not by e-mail' });
  const demoOutbox = (await call('GET', '/api/v1/meetings/1/expediering', { as: 'namndsekreterare', expect: 200 })).json?.items || [];
  const byPost = demoOutbox.find((e) => e.status === 'post');
  if (byPost) await call('POST', `/api/v1/outbox/${byPost.id}/posted`, { as: 'namndsekreterare', expect: 200 });
  const queued = demoOutbox.find((e) => e.status === 'queued');
  if (queued) await call('POST', `/api/v1/outbox/${queued.id}/retry`, { as: 'namndsekreterare', expect: 200 });
  await call('GET', '/api/v1/outbox/999999', { as: 'namndsekreterare', expect: 404 });
  await call('POST', '/api/v1/outbox/999999/retry', { as: 'namndsekreterare', expect: 404 });
  for (const as of ['handlaggare', 'namndsekreterare', 'ledamot']) await call('GET', '/api/v1/reminders', { as, expect: 200 });
  const newDecisions = (await call('GET', `/api/v1/decisions?committee=SOCN&year=2020`, { as: 'ledamot', expect: 200 })).json?.items || [];
  for (const d of newDecisions) {
    for (const f of ['json', 'txt', 'html', 'pdf', 'docx', 'odt']) await call('GET', `/api/v1/public/decisions/${d.id}?format=${f}`, { expect: 200 });
  }
  await call('GET', '/api/v1/public/anslag', { expect: 200 });
  for (const f of FORMATS) await call('GET', `/api/v1/public/anslag/${mid}/protocol?format=${f}`, { expect: 200 });

  // Too large, wrong types, every writing route refused to the anonymous.
  await call('POST', `/api/v1/cases/${id}/corrections`, { as: 'registrator', body: '{"reason":"' + 'x'.repeat(9 * 1024 * 1024) + '"}', type: 'application/json', expect: 413, invalid: true });
  for (const op of operations) {
    if (op.method === 'GET' || op.path === '/api/v1/session' && op.method === 'POST') continue;
    const security = spec.paths[op.path][op.method.toLowerCase()].security;
    if (security && security.length === 0) continue;
    const p = op.path.replace('{id}', String(id)).replace('{n}', '1').replace('{username}', 'kontrakt');
    await call(op.method, p, { body: {}, expect: 401, invalid: true, note: 'anonymous' });
  }

  // Signing out: cookie without CSRF refused, with it done; bearer.
  await call('DELETE', '/api/v1/session', { as: cookieNoCsrf, expect: 403, note: 'cookie without CSRF' });
  await call('DELETE', '/api/v1/session', { as: cookie, expect: 204 });
  await call('DELETE', '/api/v1/session', { as: 'justerare', expect: 204 });
  await call('DELETE', '/api/v1/session', { as: 'justerare', expect: 401, invalid: true, note: 'signed out already' });

  // Every operation exercised, and every one answered a success at least once.
  const unexercised = operations.filter((o) => o.seen.size === 0).map((o) => o.key);
  const noSuccess = operations.filter((o) => ![...o.seen.keys()].some((s) => s >= 200 && s < 400)).map((o) => o.key);

  if (process.env.KANSLI_CONTRACT_REPORT) fs.writeFileSync(process.env.KANSLI_CONTRACT_REPORT, JSON.stringify(exchanges, null, 1));
  const lines = failures.map((f) => `${f.label} -> ${f.status}\n${f.problems.map((p) => `    [${(p.location || []).join('.')}] ${p.message}`).join('\n')}`);
  console.log(`${exchanges.length} exchanges through Prism over ${operations.length} operations; ${failures.length} with problems`);
  assert.equal(failures.length, 0, `the server and api/openapi.yaml disagree (${failures.length}):\n${lines.join('\n')}`);
  assert.deepEqual(unexercised, [], 'operations the walk never called');
  assert.deepEqual(noSuccess, [], 'operations that never answered a success');
});
