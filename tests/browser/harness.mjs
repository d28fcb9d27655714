// What every browser walk shares: a real `kansli serve` with a fresh data dir
// (the Nacka organisation, a clock file, one user per role), Debian's
// Chromium driven by playwright-core (no browser is downloaded), axe-core on
// every page and state, screenshots, and an API client for the steps a walk
// takes as other roles (the walk's own role acts through the UI only).
//
// A walk is a node test file: `node --test <role>.walk.mjs` with
// KANSLI_BINARY=path/to/kansli, screenshots to KANSLI_SCREENSHOTS_DIR or the
// folder after --screenshots.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
export const sourceDir = path.resolve(here, '..', '..');
const binary = process.env.KANSLI_BINARY || path.join(sourceDir, 'build', 'test', 'bin', 'kansli');
const chromiumPath = process.env.KANSLI_CHROMIUM || '/usr/bin/chromium';
const argScreens = process.argv.indexOf('--screenshots');
export const screenshotsDir = process.env.KANSLI_SCREENSHOTS_DIR
  ? path.resolve(sourceDir, process.env.KANSLI_SCREENSHOTS_DIR)
  : argScreens > 0 ? process.argv[argScreens + 1] : path.join(os.tmpdir(), 'kansli-screenshots');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const PASSWORD = 'korrekt-häst-batteri-häftapparat';
export const SUBJECT = 'Förebyggande åtgärder mot att barn ska fara illa vid sexköp och människohandel';

// username, role, full name, title, extra `user add` flags
export const people = [
  ['rita', 'registrator', 'Rita Registrator', 'Registrator', ['--committee', 'SOCN']],
  ['caroline', 'enhetschef', 'Caroline Andreasson', 'Enhetschef', ['--unit', 'bfe']],
  ['nina', 'handlaggare', 'Nina Vallin Nielsen', 'Kvalitetsutvecklare', ['--unit', 'bfe-kvalitet']],
  ['olof', 'handlaggare', 'Olof Utredare', 'Socialsekreterare', ['--unit', 'bfe']],
  ['erik', 'handlaggare', 'Erik Ekonom', 'Handläggare', ['--unit', 'eeb']],
  ['sara', 'namndsekreterare', 'Sara Sekreterare', 'Nämndsekreterare', ['--committee', 'SOCN']],
  ['ordf', 'ledamot', 'Ola Ordförande', 'Ordförande', ['--committee', 'SOCN']],
  ['just', 'ledamot', 'Judit Justerare', 'Ledamot', ['--committee', 'SOCN']],
  ['lena', 'ledamot', 'Lena Ledamot', 'Ledamot', ['--committee', 'SOCN']],
  ['ada', 'admin', 'Ada Administratör', 'Systemförvaltare', []],
];

export function nameOf(username) { return people.find(([u]) => u === username)[2]; }

// ---- the service -----------------------------------------------------------------

// `options.organisation`: a function from the Nacka organisation file's text
// to the one the walk runs with (e.g. a committee whose dnr has a class code).
export async function startKansli(options = {}) {
  assert.ok(fs.existsSync(binary), `no kansli binary at ${binary} (set KANSLI_BINARY)`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kansli-browser-'));
  const clockFile = path.join(dataDir, 'clock.txt');
  const setClock = (iso) => fs.writeFileSync(clockFile, `${iso}\n`);
  const organisation = fs.readFileSync(path.join(sourceDir, 'samples', 'nacka', 'organisation.xml'), 'utf8');
  fs.writeFileSync(path.join(dataDir, 'organisation.xml'), (options.organisation || ((x) => x))(organisation));
  setClock('2020-10-05T08:00:00Z');
  for (const [username, role, name, title, extra] of people) {
    execFileSync(binary, ['user', 'add', '--data-dir', dataDir, '--username', username, '--role', role,
      '--name', name, '--title', title, '--email', `${username}@nacka.se`, ...extra],
    { input: `${PASSWORD}\n`, stdio: ['pipe', 'ignore', 'inherit'] });
  }
  const proc = spawn(binary, ['serve', '--data-dir', dataDir, '--port', '0', '--clock-file', clockFile, '--quiet'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`kansli serve did not start:\n${out}`)), 60_000);
    proc.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /lyssnar på (http:\/\/[^/\s]+)\//.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.stderr.on('data', (c) => { out += c; });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`kansli serve exited ${code}:\n${out}`)); });
  });
  return {
    base: url, dataDir, setClock,
    // Audit events with this action, read from the database as an auditor would.
    auditCount(action) {
      return Number(execFileSync('sqlite3', [path.join(dataDir, 'kansli.db'),
        `SELECT count(*) FROM audit_events WHERE action = '${action.replace(/'/g, "''")}'`]).toString().trim());
    },
    async stop() {
      proc.removeAllListeners('exit');
      proc.kill('SIGTERM');
      await new Promise((r) => { proc.once('exit', r); setTimeout(r, 10_000); });
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// A program's view of the API, signed in with a bearer token (for what other
// roles do between a walk's steps).
export async function apiAs(base, username, password = PASSWORD) {
  const r = await fetch(`${base}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  assert.equal(r.status, 201, `${username} signs in: ${await r.clone().text()}`);
  const { token } = await r.json();
  const call = async (method, pathname, body, headers = {}) => {
    const res = await fetch(`${base}${pathname}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': typeof body === 'string' ? 'application/xml' : 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, json, text, headers: res.headers };
  };
  const client = {
    token,
    get: (p) => call('GET', p),
    post: (p, body) => call('POST', p, body ?? {}),
    put: (p, xml) => call('PUT', p, xml),
    // Takes a transition with the case's current version.
    async take(caseId, transition, extra = {}) {
      const c = await call('GET', `/api/v1/cases/${caseId}`);
      const r = await call('POST', `/api/v1/cases/${caseId}/transitions`, { transition, ...extra }, { 'If-Match': c.headers.get('etag') });
      assert.equal(r.status, 200, `${username}: ${transition}: ${r.text}`);
      return r.json;
    },
  };
  return client;
}

export function referenceCaseBody(extra = {}) {
  return {
    committee: 'SOCN', kind: 'politikerinitiativ', subject: SUBJECT, received: '2020-08-25',
    senders: [{ name: 'Andreas Falk', party: 'S' }, { name: 'Maria Åberg', party: 'S' }], ...extra,
  };
}

export function referenceMemoXml() {
  return fs.readFileSync(path.join(sourceDir, 'samples', 'nacka', 'memo-SOCN-2020-262.xml'), 'utf8');
}

// Registers the reference case with its initiative, assigned to bfe and
// `officer`; returns its id and dnr. With `to`: on to that point
// ('submitted': sent for approval; 'ready': approved, ready for the committee).
export async function seedCase(base, { officer = 'nina', to = 'assigned', subject } = {}) {
  const rita = await apiAs(base, 'rita');
  const c = await rita.post('/api/v1/cases', referenceCaseBody(subject ? { subject } : {}));
  assert.equal(c.status, 201, c.text);
  const id = c.json.id;
  const doc = await rita.post(`/api/v1/cases/${id}/documents`, {
    direction: 'inkommen', date: '2020-08-25', counterpart: 'Andreas Falk (S), Maria Åberg (S)',
    title: `Politikerinitiativ - ${subject || SUBJECT}`,
  });
  assert.equal(doc.status, 201, doc.text);
  await rita.take(id, 'tilldela_enhet', { unit: 'bfe' });
  if (officer) {
    const head = await apiAs(base, 'caroline');
    await head.take(id, 'tilldela_handlaggare', { officer });
  }
  if (to === 'submitted' || to === 'ready') {
    const writer = await apiAs(base, officer);
    const saved = await writer.put(`/api/v1/cases/${id}/memo`, referenceMemoXml());
    assert.equal(saved.status, 201, saved.text);
    await writer.take(id, 'skicka_for_godkannande');
  }
  if (to === 'ready') {
    const head = await apiAs(base, 'caroline');
    await head.take(id, 'godkann');
  }
  return { id, dnr: c.json.dnr };
}

// ---- the browser -------------------------------------------------------------------

export async function launch() {
  assert.ok(fs.existsSync(chromiumPath), `no Chromium at ${chromiumPath} (scripts/install-deps installs Debian's chromium)`);
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kansli-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--lang=sv-SE', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1360, height: 900 },
    locale: 'sv-SE',
    timezoneId: 'Europe/Stockholm',
    acceptDownloads: true,
  });
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(30_000);
  const problems = [];
  // Any script error or CSP refusal in the client fails the walk.
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  return {
    context, page, problems,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

// ---- walking ---------------------------------------------------------------------------

// What every walk sets up the same way: a Kansli server (startKansli's
// options) and one Chromium page with its walker, started before the walk's
// first test and closed after its last, whatever happened. The object is
// filled in by then: read it inside the test,
// `const { kansli, browser, page, w } = walk;`.
export function walkOnKansli(options = {}) {
  const walk = {};
  before(async () => {
    walk.kansli = await startKansli(options);
    walk.browser = await launch();
    walk.page = walk.browser.page;
    walk.w = walker(walk.page);
  });
  after(async () => {
    await walk.browser?.close();
    await walk.kansli?.stop();
  });
  return walk;
}

export function walker(page) {
  const axeReports = [];
  let broken = false;
  const w = {
    axeReports,
    // One step of the story: once one fails, the rest are skipped rather
    // than each waiting out its timeouts.
    async step(t, name, fn) {
      await t.test(name, { skip: broken ? 'ett tidigare steg misslyckades' : false }, async () => {
        try {
          await fn();
        } catch (e) {
          broken = true;
          await page.screenshot({ path: path.join(screenshotsDir, `fel-${path.basename(process.argv[1] || 'walk')}.png`), fullPage: true }).catch(() => {});
          throw e;
        }
      });
    },
    // axe-core on the page as it is now: no serious or critical violation.
    async axe(name) {
      await page.evaluate(axeSource);
      const result = await page.evaluate(() => window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      }));
      const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      axeReports.push({ name, passes: result.passes.length, violations: result.violations.map((v) => `${v.id} (${v.impact})`) });
      assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} – ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`), [],
        `axe found serious or critical violations on ${name}`);
    },
    async screenshot(name, fullPage = true) {
      await page.waitForTimeout(100);  // a status message on its way lands first
      await page.evaluate(() => {
        document.activeElement?.blur();
        const status = document.getElementById('status');  // the client's, not a document's
        if (status) status.textContent = '';  // the passing status message
      });
      await page.screenshot({ path: path.join(screenshotsDir, `${name}.png`), fullPage });
    },
    report() {
      const lines = axeReports.map((r) => `  ${r.name}: 0 allvarliga/kritiska, ${r.passes} regler godkända${r.violations.length ? `, mindre: ${r.violations.join(', ')}` : ''}`);
      console.log(`axe, ${axeReports.length} sidor och lägen:\n${lines.join('\n')}`);
    },
  };
  return w;
}

// Signs in with the keyboard alone: from the page's heading Tab moves to the
// first field, Enter submits. Checks the browser session: an HttpOnly
// SameSite=Strict cookie and no token where scripts reach it.
export async function signIn(page, base, username, password = PASSWORD) {
  // A fresh load of the sign-in page, whatever was shown before (a page left
  // open with an ended session would ask to sign in again in place).
  await page.goto('about:blank');
  await page.goto(`${base}/#/logga-in`);
  await page.getByRole('heading', { level: 1, name: 'Logga in' }).waitFor();
  // Where the page puts focus after navigating (on a first load it stays at
  // the top, so it is put there here).
  await page.evaluate(() => { const h1 = document.querySelector('h1'); h1.setAttribute('tabindex', '-1'); h1.focus(); });
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.name), 'username');
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Logga ut' }).waitFor();
  const cookie = (await page.context().cookies(base)).find((c) => c.name === 'kansli_session');
  assert.ok(cookie, 'signed in by the kansli_session cookie');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('kansli.token')), null);
}

export async function signOut(page) {
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await page.locator('#inloggad').getByRole('link', { name: 'Logga in' }).waitFor();
}

export async function caseState(page, label) {
  await page.locator('.fakta .status-varde', { hasText: label }).waitFor();
}

export function transitionForm(page, id) {
  return page.locator('form.overgang', { has: page.locator(`button[data-transition="${id}"]`) });
}

export async function openCase(page, base, id) {
  await page.goto(`${base}/#/arenden/${id}`);
  await page.locator('h1 .dnr').waitFor();
}

export async function downloaded(page, trigger) {
  // Rendering a PDF under ASan on a busy machine can take a while.
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 90_000 }), trigger()]);
  const file = await dl.path();
  return { name: dl.suggestedFilename(), bytes: fs.readFileSync(file) };
}

// The text of the table whose caption has `caption`.
export async function tableText(page, caption) {
  return page.locator('table', { has: page.locator('caption', { hasText: caption }) }).textContent();
}

// The error summary of the form `scope` is in: its items' texts.
export async function summaryItems(scope) {
  const summary = scope.locator('.felsammanfattning');
  await summary.waitFor();
  return summary.locator('li').allTextContents();
}

// The text, the outline and pictures of a PDF, by poppler-utils.
function pdfFile(bytes) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kansli-pdf-'));
  const file = path.join(dir, 'dokument.pdf');
  fs.writeFileSync(file, bytes);
  return { file, done: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
function withPdf(bytes, fn) {
  const f = pdfFile(bytes);
  try { return fn(f.file); } finally { f.done(); }
}
export function pdfText(bytes) {
  return withPdf(bytes, (file) => execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8'));
}
// The outline (bookmarks) as pdftohtml's XML writes it.
export function pdfOutline(bytes) {
  return withPdf(bytes, (file) => execFileSync('pdftohtml', ['-xml', '-i', '-stdout', '-q', file]).toString('utf8'));
}
// Pages 1..pages as PNG pictures beside the screenshots (NAME-1.png, ...).
export function pdfPictures(bytes, name, pages) {
  withPdf(bytes, (file) => execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', String(pages), file, path.join(screenshotsDir, name)]));
}

export const isPdf = (bytes) => bytes.subarray(0, 5).equals(Buffer.from('%PDF-'));
export const isZip = (bytes) => bytes.subarray(0, 2).equals(Buffer.from('PK'));
