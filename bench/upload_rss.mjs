// Peak RSS of `kansli serve` while a 30 MiB document is uploaded through the
// API (a raw upload), read back, and uploaded through the web client
// (Chromium, the case page's document form). VmHWM is reset (clear_refs 5)
// before each. On demand, not in CI:
//   node bench/upload_rss.mjs [path/to/kansli]   (default build/release/bin/kansli)
// It uses tests/browser's playwright-core and Debian's Chromium.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';

const sourceDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const binary = process.argv[2] || path.join(sourceDir, "build", "release", "bin", "kansli");
const browserDir = path.join(sourceDir, "tests", "browser");
const require = createRequire(path.join(browserDir, 'package.json'));
const { chromium } = require('playwright-core');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kansli-rss-'));
const proc = spawn(binary, ['serve', '--data-dir', dir, '--port', '0', '--demo', '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
const base = await new Promise((resolve) => proc.stdout.on('data', (c) => { out += c; const m = /lyssnar på (http:\/\/[^/\s]+)\//.exec(out); if (m) resolve(m[1]); }));
const logins = Object.fromEntries(fs.readFileSync(path.join(dir, 'demo-logins.txt'), 'utf8').trim().split('\n').map((l) => { const [u, , p] = l.split(/\s+/); return [u, p]; }));
const status = () => Object.fromEntries(fs.readFileSync(`/proc/${proc.pid}/status`, 'utf8').split('\n').filter((l) => /^Vm(HWM|RSS)/.test(l)).map((l) => { const [k, v] = l.split(':'); return [k, Math.round(parseInt(v) / 1024)]; }));
const resetPeak = () => fs.writeFileSync(`/proc/${proc.pid}/clear_refs`, '5');
const MiB = 1024 * 1024;
const content = crypto.randomBytes(30 * MiB);
const sha = crypto.createHash('sha256').update(content).digest('hex');

const token = (await (await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'registrator', password: logins.registrator }) })).json()).token;
const auth = { Authorization: `Bearer ${token}` };
const c = await (await fetch(`${base}/api/v1/cases`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ committee: 'SOCN', kind: 'politikerinitiativ', subject: 'Stor handling', received: '2020-09-01', senders: [{ name: 'A' }] }) })).json();
await fetch(`${base}/health`);
const idle = status();

resetPeak();
let t = Date.now();
const up = await fetch(`${base}/api/v1/cases/${c.id}/documents?direction=inkommen&date=2020-09-01&title=30%20MiB`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/pdf' }, body: content });
const doc = await up.json();
const apiUpload = { ...status(), status: up.status, ms: Date.now() - t, sha_ok: doc.sha256 === sha };

resetPeak();
t = Date.now();
const down = Buffer.from(await (await fetch(`${base}/api/v1/cases/${c.id}/documents/${doc.number}/content`, { headers: auth })).arrayBuffer());
const apiDownload = { ...status(), ms: Date.now() - t, equal: down.equals(content) };

// The web client: sign in as the registrator, open the case, register the file.
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kansli-rss-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, { executablePath: '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const page = context.pages()[0] || await context.newPage();
page.setDefaultTimeout(120_000);
await page.goto(`${base}/#/logga-in`);
await page.getByLabel('Användarnamn').fill('registrator');
await page.getByLabel('Lösenord').fill(logins.registrator);
await page.keyboard.press('Enter');
await page.getByRole('button', { name: 'Logga ut' }).waitFor();
await page.goto(`${base}/#/arenden/${c.id}`);
await page.locator('h1 .dnr').waitFor();
const form = page.locator('form', { hasText: 'Registrera handling' });
await form.getByLabel('Datum').fill('2020-09-02');
await form.getByLabel('Titel').fill('Via webben');
const file = path.join(dir, 'stor.pdf');
fs.writeFileSync(file, content);
await form.getByLabel('Fil').setInputFiles(file);
resetPeak();
t = Date.now();
await form.getByRole('button', { name: 'Registrera handlingen' }).click();
await page.getByText(/Handling \d+ är registrerad/).first().waitFor();
const webUpload = { ...status(), ms: Date.now() - t };
const docs = await (await fetch(`${base}/api/v1/cases/${c.id}/documents`, { headers: auth })).json();
const webDoc = docs.items.find((d) => d.title === 'Via webben');
webUpload.sha_ok = webDoc?.sha256 === sha;
webUpload.size = webDoc?.size;
await context.close();
proc.kill('SIGTERM');
await new Promise((r) => proc.once('exit', r));
fs.rmSync(dir, { recursive: true, force: true });
fs.rmSync(userDataDir, { recursive: true, force: true });
console.log(JSON.stringify({ idle, apiUpload, apiDownload, webUpload }, null, 1));
