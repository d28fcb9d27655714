// The registrar's day, through the UI only: registers the reference
// initiative with its document (mistakes first, shown beside the fields and
// linked from the summary), registers a secret case, finds cases by dnr in
// every form people type it and by the beginning of a word, corrects a
// registration (the history says what changed, in words), assigns the unit
// from a list of names, writes off a case after a confirmation, and sees
// what the public sees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  walkOnKansli, signIn, signOut, caseState, transitionForm, downloaded, tableText, summaryItems,
  SUBJECT, isPdf,
} from './harness.mjs';

// Kommunstyrelsen's dnr carries a class code from the filing plan here
// (docs/dnr.md), so the registration form must ask for one.
const KS_DNR = '<dnr format="{series} {year}/{number:4}" label="Dnr"/>';
const KS_DNR_WITH_CLASS = '<dnr format="{year}/{number:4} {series}-{class}" label="Dnr"/>';

const walk = walkOnKansli({
  organisation: (xml) => {
    assert.ok(xml.includes(KS_DNR), 'the Nacka sample\'s KS dnr format changed');
    return xml.replace(KS_DNR, KS_DNR_WITH_CLASS);
  },
});

const SECRET_SENDER = 'Vera Hemligsson';

test('the registrar\'s day', async (t) => {
  const { kansli, browser, page, w } = walk;
  const { base } = kansli;
  let caseId;
  let dnr;
  let secretId;

  await t.test('the public start page needs no sign-in, has a skip link and passes axe', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('heading', { level: 1, name: 'Välkommen till Kansli' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'sv');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'hopplank');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'innehall');
    await w.axe('startsidan');
  });

  await w.step(t, 'a wrong password is said in Swedish beside the field; sign-out ends the session', async () => {
    await page.goto(`${base}/#/logga-in`);
    await page.getByLabel('Användarnamn').fill('rita');
    await page.getByLabel('Lösenord').fill('fel-lösenord-helt-enkelt');
    await page.getByRole('button', { name: 'Logga in' }).click();
    const items = await summaryItems(page.locator('form'));
    assert.ok(items.some((i) => /Kontrollera användarnamn och lösenord/.test(i)), items.join(' | '));
    await w.axe('inloggning med fel lösenord');
    await signIn(page, base, 'rita');
    await signOut(page);
    assert.equal(await page.evaluate(async () => (await fetch('/api/v1/me')).status), 401);
  });

  await w.step(t, 'registration: defaults, then every missing field named beside it and linked from the summary', async () => {
    await signIn(page, base, 'rita');
    await page.goto(`${base}/#/registrera`);
    await page.getByRole('heading', { level: 1, name: 'Registrera ärende' }).waitFor();
    // The registrar's own committee, the kind chosen explicitly, today as received.
    assert.equal(await page.getByLabel('Nämnd').inputValue(), 'SOCN');
    assert.equal(await page.getByLabel('Ärendetyp').inputValue(), '');
    assert.equal(await page.getByLabel('Inkom (datum)').inputValue(), '2020-10-05');
    await w.axe('registrera ärende');
    await page.getByRole('button', { name: 'Registrera' }).click();
    const form = page.locator('form.formular');
    const items = await summaryItems(form);
    assert.ok(items.some((i) => /Ärendetyp/.test(i)), items.join(' | '));
    await page.locator('[data-field="kind"] .felmeddelande').waitFor();
    assert.equal(await page.getByLabel('Ärendetyp').getAttribute('aria-invalid'), 'true');
    // The service's errors too: the subject and the senders, in Swedish.
    await page.getByLabel('Ärendetyp').selectOption('politikerinitiativ');
    await page.getByRole('button', { name: 'Registrera' }).click();
    await page.locator('[data-field="subject"] .felmeddelande').waitFor();
    const subjectError = await page.locator('[data-field="subject"] .felmeddelande').textContent();
    assert.match(subjectError, /^Ärendemening saknas\.$/);
    const summary = await page.locator('.felsammanfattning').textContent();
    assert.doesNotMatch(summary, /null|undefined|uppgifterna är inte giltiga/);
    // Each summary item is a link to its field.
    await page.locator('.felsammanfattning a', { hasText: 'Ärendemening' }).click();
    assert.equal(await page.evaluate(() => document.activeElement.name), 'subject');
    await w.screenshot('registrera-fel', false);
    await w.axe('registrera ärende, fel i formuläret');
  });

  await w.step(t, 'registers the reference initiative with its 3 MB document', async () => {
    await page.getByRole('textbox', { name: /^Ärendemening/ }).fill(SUBJECT.replace('människohandel', 'männsikohandel'));
    await page.getByLabel('Inkom (datum)').fill('2020-08-25');
    await page.getByRole('textbox', { name: /^Avsändare/ }).fill('Andreas Falk (S)\nMaria Åberg (S)');
    await page.getByLabel('Handlingens titel').fill(`Politikerinitiativ - ${SUBJECT}`);
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n% initiativ\n'), Buffer.alloc(3 * 1024 * 1024, 0x20), Buffer.from('\n%%EOF\n')]);
    await page.getByLabel('Fil (t.ex. PDF)').setInputFiles({ name: 'politikerinitiativ.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.getByRole('button', { name: 'Registrera' }).click();
    await page.locator('h1 .dnr').waitFor();
    dnr = (await page.locator('h1 .dnr').textContent()).trim();
    assert.equal(dnr, 'SOCN 2020/1');
    caseId = /#\/arenden\/(\d+)/.exec(page.url())[1];
    const docs = await tableText(page, 'Handlingar i ärendet');
    assert.match(docs, /Politikerinitiativ - Förebyggande/);
    assert.match(docs, /3,0 MB/);
    assert.match(docs, /Inkommen/);
    const back = await downloaded(page, () => page.getByRole('button', { name: /Hämta handling 1/ }).click());
    assert.equal(back.bytes.length, pdf.length);
    assert.ok(isPdf(back.bytes));
  });

  await w.step(t, 'corrects the subject with a reason; the history says what changed, in words', async () => {
    const correction = page.locator('form', { has: page.getByText('Rätta registreringen') });
    await correction.getByLabel('Ärendemening').fill(SUBJECT);
    await correction.getByRole('button', { name: 'Spara rättelsen' }).click();
    await correction.locator('[data-field="reason"] .felmeddelande').waitFor();
    await w.axe('rättelse utan skäl');
    await correction.getByLabel('Skäl till rättelsen').fill('Stavfel i ärendemeningen');
    await correction.getByRole('button', { name: 'Spara rättelsen' }).click();
    await page.locator('h1', { hasText: SUBJECT }).waitFor();
    const history = await tableText(page, 'Ärendets händelser');
    assert.ok(history.includes(`Ärendemening: ${SUBJECT.replace('människohandel', 'männsikohandel')} → ${SUBJECT}`), history);
    assert.match(history, /Skäl: Stavfel i ärendemeningen/);
    assert.match(history, /Rita Registrator \(registrator\)/);
    assert.doesNotMatch(history, /[{}[\]"]/, 'no JSON in the history');
  });

  await w.step(t, 'assigns the unit from a list of the committee\'s units, by name', async () => {
    const form = transitionForm(page, 'tilldela_enhet');
    await form.getByLabel('Enhet').locator('option', { hasText: 'Barn- och familjeenheten' }).first().waitFor({ state: 'attached' });
    const options = await form.getByLabel('Enhet').locator('option').allTextContents();
    assert.ok(options.includes('Barn- och familjeenheten'), options.join(' | '));
    assert.ok(!options.includes('Juridik- och kanslienheten'), 'only the committee\'s units');
    await form.getByRole('button', { name: 'Tilldela enhet' }).click();
    await form.locator('[data-field="unit"] .felmeddelande').waitFor();  // none chosen yet
    await form.getByLabel('Enhet').selectOption({ label: 'Barn- och familjeenheten' });
    await form.getByRole('button', { name: 'Tilldela enhet' }).click();
    await caseState(page, 'Tilldelad enhet');
    assert.match(await page.locator('.fakta').textContent(), /EnhetBarn- och familjeenheten/);
    assert.doesNotMatch(await page.locator('.fakta').textContent(), /\bbfe\b/);
    await page.locator('#status', { hasText: 'status är nu Tilldelad enhet' }).waitFor();
    await w.axe('ärendesidan, registrator');
  });

  await w.step(t, 'registers a secret case: the OSL provision from the organisation\'s list, which fields, and why', async () => {
    await page.goto(`${base}/#/registrera`);
    await page.getByLabel('Ärendetyp').selectOption('medborgarforslag');
    await page.getByRole('textbox', { name: /^Ärendemening/ }).fill('Stöd till hemlösa barnfamiljer i Fisksätra');
    await page.getByRole('textbox', { name: /^Avsändare/ }).fill(SECRET_SENDER);
    await page.getByLabel('Ärendet innehåller uppgifter som omfattas av sekretess').check();
    const secrecy = page.locator('fieldset.sekretess').first();
    // Ticked but not filled in: said beside the fields.
    await page.getByRole('button', { name: 'Registrera' }).click();
    await secrecy.locator('.felmeddelande', { hasText: 'Välj vilken bestämmelse' }).waitFor();
    await w.axe('registrera hemligt ärende, fel');
    const options = await secrecy.getByLabel('Bestämmelse i offentlighets- och sekretesslagen').locator('option').allTextContents();
    assert.ok(options.some((o) => o.startsWith('OSL 26 kap. 1 § – Uppgift om enskilds personliga förhållanden inom socialtjänsten')), options.join(' | '));
    await secrecy.getByLabel('Bestämmelse i offentlighets- och sekretesslagen').selectOption('OSL 26 kap. 1 §');
    await secrecy.getByLabel('Avsändare').check();
    await secrecy.getByLabel('Skäl').fill('Förslagsställaren har berättat om sin egen familjs situation.');
    await w.screenshot('registrera-sekretess');
    await w.axe('registrera hemligt ärende');
    await page.getByRole('button', { name: 'Registrera' }).click();
    await page.locator('h1 .dnr').waitFor();
    secretId = /#\/arenden\/(\d+)/.exec(page.url())[1];
    // The registrar sees the case as the public does, and is told so.
    const facts = await page.locator('.fakta').first().textContent();
    assert.match(facts, /OSL 26 kap. 1 § \(avsändare\)/);
    assert.ok(!facts.includes(SECRET_SENDER), 'the registrar sees the sender masked');
    await page.getByText('Du ser ärendet som allmänheten ser det').waitFor();
    // The initiative's counterpart is the secret sender: the document is secret too.
    const docs = await tableText(page, 'Handlingar i ärendet');
    assert.ok(!docs.includes(SECRET_SENDER), docs);
    assert.match(docs, /Sekretess: OSL 26 kap. 1 §/);
    await w.axe('hemligt ärende, registrator');
  });

  await w.step(t, 'a failed upload leaves no progress bar behind', async () => {
    const form = page.locator('form', { has: page.getByText('Registrera handling', { exact: true }) });
    await form.getByLabel('Riktning').selectOption('inkommen');
    await form.getByLabel('Datum').fill('2020-10-05');
    await form.getByLabel('Fil', { exact: true }).setInputFiles({ name: 'komplettering.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
    await form.getByRole('button', { name: 'Registrera handlingen' }).click();  // no title
    await form.locator('[data-field="title"] .felmeddelande').waitFor();
    assert.equal(await form.locator('.forlopp').count(), 0);
    assert.doesNotMatch(await form.textContent(), /100 %/);
  });

  await w.step(t, 'registers a secret document of its own: provision, secret fields and reason in the document form', async () => {
    const form = page.locator('form', { has: page.getByText('Registrera handling', { exact: true }) });
    await form.locator('input[name="title"]').fill('Komplettering om familjens boende');
    await form.locator('input[name="counterpart"]').fill(SECRET_SENDER);
    await form.getByLabel('Handlingen innehåller uppgifter som omfattas av sekretess').check();
    const secrecy = form.locator('fieldset.sekretess');
    await secrecy.getByLabel('Bestämmelse i offentlighets- och sekretesslagen').selectOption('OSL 21 kap. 3 §');
    await secrecy.getByLabel('Avsändare eller mottagare').check();
    await secrecy.getByLabel('Filens innehåll').check();
    await secrecy.getByLabel('Skäl').fill('Familjen har skyddade personuppgifter.');
    await w.axe('registrera hemlig handling');
    await form.getByRole('button', { name: 'Registrera handlingen' }).click();
    const docs = page.locator('table', { has: page.locator('caption', { hasText: 'Handlingar i ärendet' }) });
    await docs.locator('tr', { hasText: 'Komplettering om familjens boende' }).waitFor();
    const text = await docs.textContent();
    assert.match(text, /Komplettering om familjens boende Sekretess: OSL 21 kap\. 3 §/);
    assert.ok(!text.includes(SECRET_SENDER), 'the secret counterpart is masked for the registrar too');
    // Its content is secret: the masked registrar is not offered the file
    // (the service would refuse it), and is told why.
    assert.equal(await docs.getByRole('button', { name: /Hämta handling 2\b/ }).count(), 0);
    assert.match(await docs.locator('tr', { hasText: 'Komplettering om familjens boende' }).textContent(), /Sekretess, visas inte för dig/);
    assert.equal(await page.evaluate(async (u) => (await fetch(u)).status, `/api/v1/cases/${secretId}/documents/2/content`), 403);
    await w.axe('hemlig handling registrerad, registrator');
  });

  await w.step(t, 'finds cases by dnr in every form people type it, and by the beginning of a word', async () => {
    const search = async (q) => {
      if (!page.url().includes('#/diarium')) await page.goto(`${base}/#/diarium`);
      await page.getByRole('heading', { level: 1, name: 'Diarium' }).waitFor();
      await page.getByLabel('Sök', { exact: true }).fill(q);
      await page.getByRole('button', { name: 'Sök', exact: true }).click();
      await page.locator('#traffar', { hasText: `”${q}”` }).waitFor();
      return page.locator('#innehall tbody tr td:first-child').allTextContents();
    };
    for (const q of ['SOCN 2020/1', 'socn 2020/0001', '2020/1', '1']) {
      const dnrs = await search(q);
      assert.equal(dnrs[0], dnr, `${q}: ${dnrs.join(', ')}`);
    }
    assert.equal((await search('2'))[0], 'SOCN 2020/2');
    for (const q of ['sexkö', 'männi', 'förebyggande åtgä', 'FALK']) {
      assert.deepEqual(await search(q), [dnr], q);
    }
    assert.deepEqual(await search('"sexkö"'), [], 'in quotes: the whole word only');
    await page.getByText('Prova färre ord').waitFor();
    await search('2020/1');
    await w.screenshot('diarium');
    await w.axe('diariet, sökning på diarienummer');
    // The secret sender is not searchable for a registrar (masked sight).
    assert.deepEqual(await search('Hemligsson'), []);
  });

  await w.step(t, 'a committee whose dnr carries a class code asks for it, and the dnr carries it', async () => {
    await page.goto(`${base}/#/registrera`);
    await page.getByRole('heading', { level: 1, name: 'Registrera ärende' }).waitFor();
    // SOCN's dnr has no class code: no such field.
    assert.equal(await page.getByLabel(/^Klassificeringskod/).isVisible(), false);
    await page.getByLabel('Nämnd').selectOption('KS');
    await page.getByLabel(/^Klassificeringskod/).waitFor();
    await page.getByLabel('Ärendetyp').selectOption('politikerinitiativ');
    await page.getByRole('textbox', { name: /^Ärendemening/ }).fill('Budget för kommunstyrelsen');
    await page.getByRole('textbox', { name: /^Avsändare/ }).fill('Andreas Falk (S)');
    await page.getByRole('button', { name: 'Registrera' }).click();
    await page.locator('[data-field="class"] .felmeddelande').waitFor();
    assert.match(await page.locator('[data-field="class"] .felmeddelande').textContent(), /klassificeringskoden/);
    assert.equal(await page.getByLabel(/^Klassificeringskod/).getAttribute('aria-invalid'), 'true');
    await w.axe('registrera ärende, nämnd med klassificeringskod');
    // The service checks the code too (docs/dnr.md: letters, digits and dots).
    await page.getByLabel(/^Klassificeringskod/).fill('1-6');
    await page.getByRole('button', { name: 'Registrera' }).click();
    await page.locator('[data-field="class"] .felmeddelande', { hasText: /bara innehålla bokstäver, siffror och punkter/ }).waitFor();
    await page.getByLabel(/^Klassificeringskod/).fill('1.6');
    await page.getByRole('button', { name: 'Registrera' }).click();
    await page.locator('h1 .dnr').waitFor();
    assert.equal((await page.locator('h1 .dnr').textContent()).trim(), '2020/0001 KS-1.6');
  });

  await w.step(t, 'writes off a case only after a confirmation that names it', async () => {
    await page.goto(`${base}/#/arenden/${secretId}`);
    // The client draws the case page anew on a hash change: wait for this
    // case's page, not the one it came from (which has an avskriv form too).
    await page.locator('h1 .dnr', { hasText: 'SOCN 2020/2' }).waitFor();
    const form = transitionForm(page, 'avskriv');
    await form.getByLabel('Kommentar').fill('Förslagsställaren har återkallat förslaget.');
    const button = form.locator('button[data-transition="avskriv"]');  // "Avskriv förslaget" for a medborgarförslag
    assert.match(await button.getAttribute('class'), /fara/);
    await button.click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /SOCN 2020\/2/);
    await w.axe('bekräfta avskrivning');
    await dialog.getByRole('button', { name: 'Avbryt' }).click();
    await caseState(page, 'Registrerad');
    await button.click();
    await page.getByRole('dialog').getByRole('button', { name: /^Avskriv/ }).click();
    await caseState(page, 'Avskriven');
    assert.doesNotMatch(await page.locator('.fakta').textContent(), /\(avslutat\)/);
    await signOut(page);
  });

  await w.step(t, 'the public sees the secret case masked, and directions in words', async () => {
    await page.goto(`${base}/#/offentligt-diarium`);
    await page.getByLabel('Sök', { exact: true }).fill('2020/2');
    await page.getByRole('button', { name: 'Sök', exact: true }).click();
    await page.getByRole('link', { name: 'SOCN 2020/2' }).click();
    await page.locator('h1', { hasText: 'SOCN 2020/2' }).waitFor();
    const main = await page.locator('main').textContent();
    assert.ok(!main.includes(SECRET_SENDER));
    assert.match(main, /Uppgift om avsändare omfattas av sekretess enligt OSL 26 kap. 1 §/);
    assert.match(main, /Inkommen/);
    assert.doesNotMatch(main, /inkommen|upprattad/);
    await w.axe('offentligt ärende med sekretess');
  });

  await t.test('no script errors or CSP refusals in the client', () => {
    assert.deepEqual(browser.problems, []);
    w.report();
  });
});
