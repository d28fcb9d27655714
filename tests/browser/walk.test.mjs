// The web client in real headless Chromium (Debian's /usr/bin/chromium, driven
// by playwright-core; no browser is downloaded). It starts `kansli serve` with
// a fresh data dir, the Nacka organisation and a clock file, adds one user per
// role, and walks the reference case SOCN 2020/262 from registration to
// closure, each step signed in as the right role, then finds the decision as
// the public would. axe-core checks the main pages (no serious or critical
// violations); screenshots of the main pages go to KANSLI_SCREENSHOTS_DIR, or
// to the folder given as --screenshots (the build folder under ctest).
//
//   node --test walk.test.mjs  (env KANSLI_BINARY=path/to/kansli)
import { test, before, after } from 'node:test';
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
const sourceDir = path.resolve(here, '..', '..');
const binary = process.env.KANSLI_BINARY || path.join(sourceDir, 'build', 'test', 'bin', 'kansli');
const chromiumPath = process.env.KANSLI_CHROMIUM || '/usr/bin/chromium';
const argScreens = process.argv.indexOf('--screenshots');
const screenshotsDir = process.env.KANSLI_SCREENSHOTS_DIR
  ? path.resolve(sourceDir, process.env.KANSLI_SCREENSHOTS_DIR)
  : argScreens > 0 ? process.argv[argScreens + 1] : path.join(os.tmpdir(), 'kansli-screenshots');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const PASSWORD = 'korrekt-häst-batteri-häftapparat';
const SUBJECT = 'Förebyggande åtgärder mot att barn ska fara illa vid sexköp och människohandel';
const DECISION_TEXT = 'Socialnämnden bifaller förslagen i politikerinitiativet på så sätt att barn- och familjeenheten i Nacka ska föra en dialog med människohandelssektionen inom Stockholmspolisen samt etablera en samverkan med uppsökande socialsekreterare prostitution i Stockholm stad i syfte att åstadkomma ett kunskaps- och erfarenhetsutbyte. Politikerinitiativet är med detta färdigbehandlat.';

const users = [
  ['rita', 'registrator', 'Rita Registrator', []],
  ['caroline', 'enhetschef', 'Caroline Andreasson', ['--unit', 'bfe']],
  ['nina', 'handlaggare', 'Nina Vallin Nielsen', ['--unit', 'bfe']],
  ['sara', 'namndsekreterare', 'Sara Sekreterare', ['--committee', 'SOCN']],
  ['ordf', 'ledamot', 'Ola Ordförande', ['--committee', 'SOCN']],
  ['just', 'ledamot', 'Judit Justerare', ['--committee', 'SOCN']],
];

let dataDir, clockFile, server, base, context, page, userDataDir;
const pageProblems = [];
const axeReports = [];

function setClock(iso) {
  fs.writeFileSync(clockFile, `${iso}\n`);
}

function startServer() {
  return new Promise((resolve, reject) => {
    const proc = spawn(binary, ['serve', '--data-dir', dataDir, '--port', '0', '--clock-file', clockFile, '--quiet'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`kansli serve did not start:\n${out}`)), 60_000);
    const onData = (chunk) => {
      out += chunk;
      const m = /lyssnar på (http:\/\/[^/\s]+)\//.exec(out);
      if (m) { clearTimeout(timer); resolve({ proc, url: m[1] }); }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', (c) => { out += c; });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`kansli serve exited ${code}:\n${out}`)); });
  });
}

before(async () => {
  assert.ok(fs.existsSync(binary), `no kansli binary at ${binary} (set KANSLI_BINARY)`);
  assert.ok(fs.existsSync(chromiumPath), `no Chromium at ${chromiumPath} (scripts/install-deps installs Debian's chromium)`);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kansli-browser-'));
  clockFile = path.join(dataDir, 'clock.txt');
  fs.copyFileSync(path.join(sourceDir, 'samples', 'nacka', 'organisation.xml'), path.join(dataDir, 'organisation.xml'));
  setClock('2020-10-05T08:00:00Z');
  for (const [username, role, name, extra] of users) {
    execFileSync(binary, ['user', 'add', '--data-dir', dataDir, '--username', username, '--role', role, '--name', name, ...extra],
      { input: `${PASSWORD}\n`, stdio: ['pipe', 'ignore', 'inherit'] });
  }
  server = await startServer();
  base = server.url;
  fs.mkdirSync(screenshotsDir, { recursive: true });
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kansli-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--lang=sv-SE', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1360, height: 900 },
    locale: 'sv-SE',
    timezoneId: 'Europe/Stockholm',
    acceptDownloads: true,
  });
  page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(30_000);
  // Any script error or CSP refusal in the client fails the walk.
  page.on('pageerror', (e) => pageProblems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) pageProblems.push(`console: ${m.text()}`);
  });
});

after(async () => {
  await context?.close();
  if (server) {
    server.proc.removeAllListeners('exit');
    server.proc.kill('SIGTERM');
    await new Promise((r) => { server.proc.once('exit', r); setTimeout(r, 10_000); });
  }
  for (const dir of [dataDir, userDataDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

// ---- helpers ------------------------------------------------------------------

// Signs in with the keyboard alone: from the page's heading Tab moves to the
// first field, Enter submits.
async function signIn(username) {
  await page.goto(`${base}/#/logga-in`);
  await page.getByRole('heading', { level: 1, name: 'Logga in' }).waitFor();
  await page.locator('h1').focus();  // where the page puts focus after navigating
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.name), 'username');
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Logga ut' }).waitFor();
  // A browser session: the HttpOnly cookie, and no token kept where scripts reach it.
  const cookie = (await context.cookies(base)).find((c) => c.name === 'kansli_session');
  assert.ok(cookie, 'signed in by the kansli_session cookie');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('kansli.token')), null);
  assert.ok(await page.evaluate(() => sessionStorage.getItem('kansli.csrf')));
}

async function signOut() {
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await page.locator('#inloggad').getByRole('link', { name: 'Logga in' }).waitFor();
}

async function caseState(label) {
  await page.locator('.fakta strong', { hasText: label }).waitFor();
}

function transitionForm(id) {
  return page.locator('form.overgang', { has: page.locator(`button[data-transition="${id}"]`) });
}

async function take(id, fields = {}) {
  const form = transitionForm(id);
  for (const [label, value] of Object.entries(fields)) await form.getByLabel(label).fill(value);
  await form.locator(`button[data-transition="${id}"]`).click();
}

async function openCase(id) {
  await page.goto(`${base}/#/arenden/${id}`);
  await page.locator('h1 .dnr').waitFor();
}

async function axe(name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  axeReports.push({ name, passes: result.passes.length, violations: result.violations.map((v) => `${v.id} (${v.impact})`) });
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} – ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`), [],
    `axe found serious or critical violations on ${name}`);
}

async function screenshot(name, fullPage = true) {
  await page.waitForTimeout(100);  // a status message on its way lands first
  await page.evaluate(() => {
    document.activeElement?.blur();
    const status = document.getElementById('status');  // the client's, not a document's
    if (status) status.textContent = '';  // the passing status message
  });
  await page.screenshot({ path: path.join(screenshotsDir, `${name}.png`), fullPage });
}

async function downloaded(trigger) {
  const [dl] = await Promise.all([page.waitForEvent('download'), trigger()]);
  const file = await dl.path();
  return { name: dl.suggestedFilename(), bytes: fs.readFileSync(file) };
}

// The text, the outline and pictures of a PDF, by poppler-utils.
function pdfFile(bytes) {
  const file = path.join(dataDir, `dokument-${Date.now()}.pdf`);
  fs.writeFileSync(file, bytes);
  return file;
}
function pdfText(bytes) {
  return execFileSync('pdftotext', ['-layout', pdfFile(bytes), '-']).toString('utf8');
}
function pdfOutline(bytes) {
  return execFileSync('pdftohtml', ['-xml', '-i', '-stdout', '-q', pdfFile(bytes)]).toString('utf8');
}
// Pages 1..pages as PNG pictures beside the screenshots (NAME-1.png, ...).
function pdfPictures(bytes, name, pages) {
  execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', String(pages), pdfFile(bytes), path.join(screenshotsDir, name)]);
}

async function api(pathname) {
  const r = await fetch(`${base}${pathname}`);
  assert.equal(r.status, 200, `${pathname}: ${r.status}`);
  return r.json();
}

// ---- the walk -----------------------------------------------------------------

// The walk is one story: once a step fails, the later ones are skipped
// rather than each waiting out its timeouts.
let broken = false;
async function step(t, name, fn) {
  await t.test(name, { skip: broken ? 'ett tidigare steg misslyckades' : false }, async () => {
    try {
      await fn();
    } catch (e) {
      broken = true;
      await page.screenshot({ path: path.join(screenshotsDir, 'fel.png'), fullPage: true }).catch(() => {});
      throw e;
    }
  });
}

let caseId;
let dnr;
let meetingId;
let memoModel;

test('the reference case from registration to closure, then found by the public', async (t) => {
  await step(t, 'the public start page needs no sign-in, has a skip link and passes axe', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('heading', { level: 1, name: 'Välkommen till Kansli' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'sv');
    // On a fresh load the first Tab reaches the skip link, which shows itself
    // and jumps to the content.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'hopplank');
    const box = await page.locator('#hopplank').boundingBox();
    assert.ok(box && box.y >= 0, 'the focused skip link is on screen');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'innehall');
    await axe('startsidan');
  });

  await step(t, 'sign-out ends the browser session', async () => {
    await signIn('rita');
    await signOut();
    assert.equal((await context.cookies(base)).filter((c) => c.name === 'kansli_session' && c.value).length, 0);
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
    assert.equal(me, 401);
  });

  await step(t, 'registrator: registers the initiative with its document, shows errors beside fields, corrects, assigns the unit', async () => {
    await signIn('rita');
    await page.goto(`${base}/#/registrera`);
    await page.getByRole('heading', { level: 1, name: 'Registrera ärende' }).waitFor();
    await axe('registrera ärende');
    // The service's field errors land beside their fields.
    await page.getByRole('button', { name: 'Registrera' }).click();
    const subjectError = page.locator('[data-field="subject"] .felmeddelande');
    await subjectError.waitFor();
    assert.ok((await subjectError.textContent()).length > 0);
    assert.equal(await page.locator('[data-field="subject"] textarea').getAttribute('aria-invalid'), 'true');

    await page.getByLabel('Nämnd').selectOption('SOCN');
    await page.getByLabel('Ärendetyp').selectOption('politikerinitiativ');
    // A slip in the subject, corrected below with a reason.
    await page.getByLabel('Ärendemening').fill(SUBJECT.replace('människohandel', 'männsikohandel'));
    await page.getByLabel('Inkom (datum)').fill('2020-08-25');
    await page.getByLabel('Avsändare').fill('Andreas Falk (S)\nMaria Åberg (S)');
    await page.getByLabel('Handlingens titel').fill(`Politikerinitiativ - ${SUBJECT}`);
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n% initiativ\n'), Buffer.alloc(3 * 1024 * 1024, 0x20), Buffer.from('\n%%EOF\n')]);
    await page.getByLabel('Fil (t.ex. PDF)').setInputFiles({ name: 'politikerinitiativ.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.getByRole('button', { name: 'Registrera' }).click();
    await page.locator('h1 .dnr').waitFor();
    dnr = (await page.locator('h1 .dnr').textContent()).trim();
    assert.match(dnr, /^SOCN 2020\/\d+$/);
    caseId = /#\/arenden\/(\d+)/.exec(page.url())[1];
    const docRow = page.locator('table', { has: page.locator('caption', { hasText: 'Handlingar i ärendet' }) }).locator('tbody tr');
    assert.equal(await docRow.count(), 1);
    assert.match(await docRow.first().textContent(), /Politikerinitiativ - Förebyggande/);
    assert.match(await docRow.first().textContent(), /3,0 MB/);

    // The file comes back as it went.
    const back = await downloaded(() => docRow.first().getByRole('button').click());
    assert.equal(back.bytes.length, pdf.length);
    assert.ok(back.bytes.subarray(0, 5).equals(Buffer.from('%PDF-')));

    // Correction with a reason; the reason is required.
    const correction = page.locator('form', { has: page.getByText('Rätta registreringen') });
    await correction.getByLabel('Ärendemening').fill(SUBJECT);
    await correction.getByRole('button', { name: 'Spara rättelsen' }).click();
    await correction.locator('[data-field="reason"] .felmeddelande').waitFor();
    await correction.getByLabel('Skäl till rättelsen').fill('Stavfel i ärendemeningen');
    await correction.getByRole('button', { name: 'Spara rättelsen' }).click();
    await page.locator('h1', { hasText: SUBJECT }).waitFor();
    const historyText = await page.locator('table', { has: page.locator('caption', { hasText: 'Ärendets händelser' }) }).textContent();
    assert.match(historyText, /Stavfel i ärendemeningen/);

    await take('tilldela_enhet', { 'Enhet (id, t.ex. bfe)': 'bfe' });
    await caseState('Tilldelad enhet');

    // The diarium lists it; search and filters narrow it.
    await page.goto(`${base}/#/diarium`);
    await page.getByLabel('Sökord').fill('sexköp');
    await page.getByLabel('Nämnd').selectOption('SOCN');
    await page.getByRole('button', { name: 'Sök' }).click();
    await page.getByRole('link', { name: dnr }).waitFor();
    assert.match(page.url(), /q=sexk/);
    await screenshot('diarium');
    await axe('diariet');
    await signOut();
  });

  await step(t, 'unit head: sees the case among the unit\'s cases with its deadline, assigns the officer', async () => {
    await signIn('caroline');
    await page.getByRole('heading', { level: 1, name: 'Mina ärenden' }).waitFor();
    // The step "Tilldelad enhet" has a week: its deadline is in the list.
    assert.match(await page.locator('tbody tr', { hasText: dnr }).textContent(), /2020-10-12/);
    await page.getByRole('link', { name: dnr }).click();
    await caseState('Tilldelad enhet');
    await take('tilldela_handlaggare', { 'Handläggare (användarnamn)': 'nina' });
    await caseState('Under utredning');
    await signOut();
  });

  await step(t, 'officer: writes the memo in the editor with a live preview, downloads the PDF, submits', async () => {
    await signIn('nina');
    await page.getByRole('link', { name: dnr }).click();
    await page.getByRole('link', { name: 'Skriv tjänsteskrivelsen' }).click();
    await page.getByRole('heading', { level: 1, name: `Tjänsteskrivelse för ${dnr}` }).waitFor();

    // What the officer types: the reference memo (samples/), in the editor's text form.
    const xml = fs.readFileSync(path.join(sourceDir, 'samples', 'nacka', 'memo-SOCN-2020-262.xml'), 'utf8');
    memoModel = await page.evaluate(async (x) => (await import('/static/memo.js')).parseMemoXml(x), xml);
    assert.equal(memoModel.sections.length, 7);
    await page.getByLabel('Datum').fill(memoModel.meta.date);
    await page.getByLabel('Titel', { exact: true }).fill(memoModel.meta.title);
    await page.getByLabel('Nämnd').fill(memoModel.meta.committee);
    const sections = page.locator('fieldset.avsnitt');
    assert.equal(await sections.count(), memoModel.sections.length);
    for (const [i, s] of memoModel.sections.entries()) {
      const fs_ = sections.nth(i);
      await fs_.getByLabel('Typ av avsnitt').selectOption(s.kind);
      await fs_.getByLabel('Rubrik').fill(s.heading);
      await fs_.getByLabel('Text').fill(s.text);
    }
    await page.getByRole('button', { name: 'Lägg till underskrift' }).click();
    const signers = page.locator('fieldset.underskrift');
    for (const [i, s] of memoModel.signatories.entries()) {
      await signers.nth(i).getByLabel('Namn').fill(s.name);
      await signers.nth(i).getByLabel('Titel').fill(s.title);
      await signers.nth(i).getByLabel('Enhet').fill(s.unit);
    }
    // The preview is the real template's rendering: letterhead, dnr, footnotes, signatures.
    const preview = page.locator('#forhandsvisning-dokument');
    await preview.locator('.underskrift', { hasText: 'Nina Vallin Nielsen' }).waitFor();
    const previewText = await preview.textContent();
    for (const words of ['Förslag till beslut', 'Konsekvenser för barn', dnr, 'Caroline Andreasson', 'Stockholms län och Gotland']) {
      assert.ok(previewText.includes(words), `preview lacks "${words}"`);
    }
    assert.equal(await preview.locator('.fotnoter li').count(), 4);
    assert.equal(await preview.locator('style, script').count(), 0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot('tjansteskrivelse', false);
    await axe('tjänsteskrivelsens redigerare');

    const pdf = await downloaded(() => page.getByRole('button', { name: 'Ladda ned förhandsvisningen som PDF' }).click());
    assert.ok(pdf.bytes.subarray(0, 5).equals(Buffer.from('%PDF-')), 'the preview PDF is a PDF');

    await page.getByRole('button', { name: 'Spara ny version' }).click();
    await page.getByText('Version 1 är sparad.', { exact: true }).first().waitFor();
    await page.getByRole('link', { name: 'Tillbaka till ärendet' }).click();
    await take('skicka_for_godkannande');
    await caseState('För godkännande');
    await signOut();
  });

  await step(t, 'unit head: sends it back with a comment (required, shown beside the field)', async () => {
    await signIn('caroline');
    await openCase(caseId);
    await take('aterforvisa');
    const error = transitionForm('aterforvisa').locator('[data-field="comment"] .felmeddelande');
    await error.waitFor();
    assert.match(await error.textContent(), /kommentar/i);
    await take('aterforvisa', { Kommentar: 'Komplettera med statistik för polisregion Stockholm.' });
    await caseState('Under utredning');
    await signOut();
  });

  await step(t, 'officer: a second version, compared with the first, submitted again', async () => {
    await signIn('nina');
    await page.goto(`${base}/#/arenden/${caseId}/skrivelse`);
    const summary = page.locator('fieldset.avsnitt').nth(1).getByLabel('Text');
    await summary.waitFor();
    assert.ok((await summary.inputValue()).includes('Socialdemokraterna föreslår'), 'the editor loads the saved version');
    await summary.fill(`${await summary.inputValue()}\n\nHittills i år har den uppsökande socialsekreteraren träffat fyra sexköpare från Nacka.`);
    await page.getByRole('button', { name: 'Spara ny version' }).click();
    await page.getByText('Version 2 är sparad.', { exact: true }).first().waitFor();
    await page.goto(`${base}/#/arenden/${caseId}/jamfor`);
    await page.locator('.diff .tillagd', { hasText: 'fyra sexköpare från Nacka' }).first().waitFor();
    await openCase(caseId);
    await take('skicka_for_godkannande');
    await caseState('För godkännande');
    await signOut();
  });

  await step(t, 'unit head: approves; the case is ready for the committee', async () => {
    await signIn('caroline');
    await page.getByRole('link', { name: dnr }).first().click();
    await take('godkann', { 'Kommentar (valfri)': 'Godkänd.' });
    await caseState('Klar för nämnd');
    assert.match(await page.locator('table', { has: page.locator('caption', { hasText: 'Versioner' }) }).textContent(), /Ja,/);
    await screenshot('arende');
    await axe('ärendesidan');
    await signOut();
  });

  await step(t, 'secretary: a meeting, the agenda from ready cases, the notice and its second version', async () => {
    await signIn('sara');
    await page.getByRole('heading', { level: 1, name: 'Sammanträden' }).waitFor();
    await page.getByLabel('Datum').fill('2020-10-20');
    await page.getByLabel('Klockslag').fill('13:00');
    await page.getByLabel('Plats').fill('Nacka stadshus, sammanträdesrum Jelgava');
    await page.getByLabel('Ordförande (användarnamn)').fill('ordf');
    await page.getByLabel('Justerare (användarnamn)').fill('just');
    await page.getByLabel('Närvarande').fill([
      'Ola Ordförande; ordförande; M; ordf',
      'Judit Justerare; ledamot; L; just',
      'Andreas Falk; ledamot; S',
      'Lisa Larsson; ledamot; M',
      'Eva Ek; ersättare; KD; ; Olle Olsson (KD)',
      'Sara Sekreterare; sekreterare',
    ].join('\n'));
    await page.getByRole('button', { name: 'Skapa sammanträdet' }).click();
    await page.getByRole('heading', { level: 1, name: /Socialnämnden/ }).waitFor();
    meetingId = /#\/sammantraden\/(\d+)/.exec(page.url())[1];
    await page.getByLabel('Ärende som är klart för nämnden').selectOption({ label: `${dnr} ${SUBJECT}` });
    await page.getByRole('button', { name: 'Lägg till på dagordningen' }).click();
    await page.locator('table', { has: page.locator('caption', { hasText: 'Punkter' }) }).getByRole('link', { name: dnr }).waitFor();
    await page.getByRole('button', { name: 'Skicka kallelsen' }).click();
    await page.locator('.fakta').getByText('Skickad, version 1').waitFor();
    // After the notice: a standing item first, which waits for version 2.
    await page.getByLabel('Stående punkt eller annan punkt utan ärende').fill('Val av justerare');
    await page.getByLabel('Plats på listan').fill('1');
    await page.getByRole('button', { name: 'Lägg till punkten' }).click();
    await page.getByText('Punkt 1 har lagts till: Val av justerare').waitFor();
    await page.getByRole('button', { name: 'Skicka version 2' }).click();
    await page.locator('.fakta').getByText('Skickad, version 2').waitFor();
    const notice = await downloaded(() => page.getByRole('button', { name: 'Kallelse med handlingar (PDF)' }).click());
    assert.ok(notice.bytes.subarray(0, 5).equals(Buffer.from('%PDF-')));
    pdfPictures(notice.bytes, 'kallelse-med-handlingar', 3);
    const text = pdfText(notice.bytes);
    assert.match(text, /Ändrad kallelse, version 2/);
    assert.match(text, /människohandelssektionen/, 'the approved memo follows the notice');
    assert.match(pdfOutline(notice.bytes), /Punkt 2: SOCN/, 'a bookmark per item');
    await screenshot('sammantrade-kallelse');
    await axe('sammanträdet (kallelse)');
    await signOut();
  });

  await step(t, 'secretary, on the day: yrkanden, a vote, a reservation; a yrkande without a name is refused', async () => {
    setClock('2020-10-20T12:00:00Z');
    await signIn('sara');
    await page.goto(`${base}/#/sammantraden/${meetingId}`);
    const justering = page.locator('form.beslut', { has: page.getByText('Beslut i punkt 1: Val av justerare') });
    await justering.getByLabel('Beslutstext').fill('Judit Justerare (L) utses att jämte ordföranden justera protokollet.');
    await justering.getByRole('button', { name: 'Registrera beslutet' }).click();
    await page.locator('td', { hasText: 'Noteras' }).first().waitFor();
    const form = page.locator('form.beslut', { has: page.getByText(`Beslut i punkt 2: ${dnr}`) });
    await form.getByLabel('Utfall').selectOption('bifall');
    await form.getByLabel('Beslutstext').fill(DECISION_TEXT);
    // Regression: a yrkande written without who moves it was printed twice.
    await form.getByLabel('Yrkande', { exact: true }).first().fill('Bifall till förslaget');
    await form.getByRole('button', { name: 'Registrera beslutet' }).click();
    await form.locator('.felmeddelande:not([hidden])').first().waitFor();
    assert.match(await form.locator('[data-field="motions[0].mover"] .felmeddelande').textContent(), /krävs|får inte vara tomt/);
    await form.getByLabel('Vem yrkar').first().fill('Andreas Falk (S)');
    await form.getByLabel('Med instämmande av').first().fill('Eva Ek (KD)');
    await form.getByRole('button', { name: 'Lägg till ett yrkande' }).click();
    await form.getByLabel('Vem yrkar').nth(1).fill('Lisa Larsson (M)');
    await form.getByLabel('Yrkande', { exact: true }).nth(1).fill('Avslag på initiativet');
    await form.getByLabel('Propositioner').fill('Ordföranden ställer proposition på bifall och avslag och finner att nämnden bifaller förslaget.');
    await form.getByLabel('Propositionsordning').fill('Ja för bifall, nej för avslag');
    for (const [who, vote] of [['Ola Ordförande (M)', 'ja'], ['Judit Justerare (L)', 'ja'], ['Andreas Falk (S)', 'ja'], ['Lisa Larsson (M)', 'nej'], ['Eva Ek (KD)', 'avstar']]) {
      await form.getByLabel(`Röst: ${who}`).selectOption(vote);
    }
    await form.getByLabel('Vem reserverar sig').fill('Lisa Larsson (M)');
    await form.getByLabel('Skäl').fill('Samverkan finns redan; uppdraget ger dubbelarbete.');
    await form.getByLabel('Beslutet skickas till').fill('Barn- och familjeenheten\nAndreas Falk (S)\nMaria Åberg (S)');
    await form.getByRole('button', { name: 'Registrera beslutet' }).click();
    await page.locator('td', { hasText: 'Bifall' }).first().waitFor();
    const row = await page.locator('tbody tr', { hasText: dnr }).textContent();
    assert.match(row, /Andreas Falk \(S\) med instämmande av Eva Ek \(KD\) yrkar Bifall till förslaget/);
    assert.equal((row.match(/Bifall till förslaget/g) || []).length, 1, 'the yrkande is printed once');
    assert.match(row, /Omröstning: 3 ja, 1 nej, 1 avstår/);
    await page.getByRole('button', { name: 'Upprätta protokollet' }).click();
    await page.getByText('Upprättat, ej justerat').waitFor();
    await screenshot('sammantrade');
    await axe('sammanträdet');
    await signOut();
  });

  await step(t, 'chair and adjuster: attest the minutes with their password again', async () => {
    for (const who of ['ordf', 'just']) {
      await signIn(who);
      await page.goto(`${base}/#/sammantraden/${meetingId}`);
      // A wrong password first: refused beside the field, nothing attested.
      await page.getByLabel('Ditt lösenord').fill('inte-mitt-losenord');
      await page.getByRole('button', { name: 'Justera protokollet' }).click();
      await page.locator('[data-field="password"] .felmeddelande:not([hidden])').waitFor();
      await page.getByLabel('Ditt lösenord').fill(PASSWORD);
      await page.getByRole('button', { name: 'Justera protokollet' }).click();
      await page.locator('.fakta').getByText(new RegExp(`${who} \\(`)).waitFor();
      if (who === 'ordf') await axe('justering');
      await signOut();
    }
  });

  await step(t, 'secretary: the expediering list and the extract with yrkanden, vote and reservation', async () => {
    await signIn('sara');
    await page.goto(`${base}/#/sammantraden/${meetingId}`);
    const list = page.locator('table', { has: page.locator('caption', { hasText: 'Utskick av protokollsutdrag' }) });
    await list.waitFor();
    assert.match(await list.textContent(), /Barn- och familjeenheten.*barn-och-familj@nacka\.example.*Köad/s);
    assert.match(await list.textContent(), /Andreas Falk \(S\).*Skickas per post/s);
    await page.getByRole('button', { name: 'Skickad per post: Andreas Falk (S)' }).click();
    await list.getByText('Skickad per post').first().waitFor();
    await screenshot('expediering');
    await axe('expedieringen');
    const decision = (await (await page.evaluate(async (id) => {
      const r = await fetch(`/api/v1/meetings/${id}`, { credentials: 'same-origin' });
      return r.json();
    }, meetingId))).items[1].decision.id;
    await page.goto(`${base}/api/v1/decisions/${decision}?format=html`);
    assert.match(await page.locator('body').textContent(), /reserverar sig mot beslutet/);
    await screenshot('protokollsutdrag');
    // Back in the client before fetching the PDF: the HTML document's own
    // policy (default-src 'none') lets nothing connect from its page.
    await page.goto(`${base}/#/sammantraden/${meetingId}`);
    await page.locator('h1').waitFor();
    const r = await page.evaluate(async (id) => {
      const res = await fetch(`/api/v1/decisions/${id}?format=pdf`, { credentials: 'same-origin' });
      return Array.from(new Uint8Array(await res.arrayBuffer()));
    }, decision);
    pdfPictures(Buffer.from(r), 'protokollsutdrag-pdf', 1);
    await signOut();
  });

  let appealUntil;
  await step(t, 'secretary: posts the attested minutes on the notice board', async () => {
    setClock('2020-10-22T08:00:00Z');
    await signIn('sara');
    await page.goto(`${base}/#/sammantraden/${meetingId}`);
    await page.getByRole('button', { name: 'Anslå protokollet' }).click();
    await page.getByText(/Anslaget 22 oktober 2020/).first().waitFor();
    await openCase(caseId);
    await caseState('Justerad');
    // Not before laga kraft: closing is not offered yet.
    await page.locator('#atgarder').waitFor();
    assert.equal(await page.locator('button[data-transition="avsluta"]').count(), 0);
    await signOut();
    const board = await api('/api/v1/public/anslag');
    appealUntil = board.items[0].appeal_until;
    assert.equal(appealUntil, '2020-11-12');
    await page.goto(`${base}/#/anslag`);
    await page.locator('td', { hasText: '12 november 2020' }).waitFor();
    await axe('anslagstavlan');
  });

  await step(t, 'secretary, after the appeal period: closes the case', async () => {
    setClock('2020-11-13T08:00:00Z');
    await signIn('sara');
    await openCase(caseId);
    await take('avsluta');
    await caseState('Avslutad');
    const docs = await page.locator('table', { has: page.locator('caption', { hasText: 'Handlingar i ärendet' }) }).textContent();
    assert.match(docs, /Protokollsutdrag/);
    await signOut();
  });

  await step(t, 'the public: finds the decision and its extract as PDF without signing in', async () => {
    await page.goto(`${base}/#/beslut`);
    await page.getByLabel('Sökord').fill('människohandelssektionen');
    await page.getByLabel('Utfall').selectOption('bifall');
    await page.getByRole('button', { name: 'Sök' }).click();
    const row = page.locator('tbody tr', { hasText: dnr });
    await row.waitFor();
    await row.getByRole('link').click();
    await page.getByRole('heading', { level: 2, name: 'Protokollsutdrag' }).waitFor();
    assert.match(await page.locator('main').textContent(), /bifaller förslagen/);
    const href = await page.getByRole('link', { name: 'Protokollsutdrag (PDF)' }).getAttribute('href');
    const r = await fetch(`${base}${href}`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/pdf');
    assert.ok(Buffer.from(await r.arrayBuffer()).subarray(0, 5).equals(Buffer.from('%PDF-')));
    await screenshot('beslut-publikt');
    await axe('beslutet (publikt)');

    await page.goto(`${base}/#/offentligt-diarium`);
    await page.getByLabel('Sökord').fill('sexköp');
    await page.getByRole('button', { name: 'Sök' }).click();
    await page.getByRole('link', { name: dnr }).waitFor();
    await axe('offentligt diarium');
  });

  await t.test('no script errors or CSP refusals in the client', () => {
    assert.deepEqual(pageProblems, []);
    console.log(`axe: ${axeReports.map((r) => `${r.name}: ${r.passes} regler godkända${r.violations.length ? `, mindre anmärkningar: ${r.violations.join(', ')}` : ''}`).join('; ')}`);
    console.log(`skärmbilder i ${screenshotsDir}`);
  });
});
