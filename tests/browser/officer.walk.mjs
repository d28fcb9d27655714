// The officer's day, through the UI only: opens a new memo (no errors on an
// untouched form), learns why the case cannot move on yet, writes the
// reference memo, keeps the draft through a reload, is asked before leaving
// with unsaved text, loses the session while typing and signs in again in
// place without losing a word, fixes a schema error and a section the
// template requires by their Swedish messages, saves, downloads every
// format, sends for approval, and reads the unit head's return comment at
// the top of a case sent back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  walkOnKansli, signIn, caseState, transitionForm, downloaded, tableText, summaryItems, seedCase,
  apiAs, openCase, sourceDir, PASSWORD, isPdf, isZip,
} from './harness.mjs';

const walk = walkOnKansli();

const RETURN_COMMENT = 'Komplettera med statistik för polisregion Stockholm.';
const ADDED = 'Hittills i år har den uppsökande socialsekreteraren träffat fyra sexköpare från Nacka.';

test('the officer\'s day', async (t) => {
  const { kansli, browser, page, w } = walk;
  const { base } = kansli;
  const mine = await seedCase(base, { officer: 'nina' });
  // A second case the unit head sent back with a comment.
  const returned = await seedCase(base, { officer: 'nina', to: 'submitted', subject: 'Samverkan med polisen om barn som far illa' });
  await (await apiAs(base, 'caroline')).take(returned.id, 'aterforvisa', { comment: RETURN_COMMENT });
  let model;

  await w.step(t, 'my cases list them with names and deadlines', async () => {
    await signIn(page, base, 'nina');
    await page.getByRole('heading', { level: 1, name: 'Mina ärenden' }).waitFor();
    const list = await tableText(page, 'Öppna ärenden');
    assert.match(list, /SOCN 2020\/1/);
    assert.match(list, /Nina Vallin Nielsen/);
    assert.doesNotMatch(list, /\bnina\b/);
    await w.axe('mina ärenden, handläggare');
  });

  await w.step(t, 'the case says why it cannot be sent for approval yet', async () => {
    await openCase(page, base, mine.id);
    const why = page.locator('#atgarder').locator('..').locator('.upplysning');
    await why.waitFor();
    assert.match(await why.textContent(), /Skicka för godkännande: Spara en version av tjänsteskrivelsen först\./);
    assert.equal(await page.locator('button[data-transition="skicka_for_godkannande"]').count(), 0);
    await w.axe('ärendet, handläggare, inget att skicka');
  });

  await w.step(t, 'a new memo opens without errors, signed by the unit head and the officer from the directory', async () => {
    await page.getByRole('link', { name: 'Skriv tjänsteskrivelsen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tjänsteskrivelse för SOCN 2020/1' }).waitFor();
    await page.getByText('Förhandsvisningen visas när').waitFor();
    assert.equal(await page.locator('.felsammanfattning:visible, [aria-invalid="true"], .felmeddelande:visible').count(), 0);
    const signers = page.locator('fieldset.underskrift');
    assert.equal(await signers.nth(0).getByLabel('Namn').inputValue(), 'Caroline Andreasson');
    assert.equal(await signers.nth(0).getByLabel('Titel').inputValue(), 'Enhetschef');
    assert.equal(await signers.nth(1).getByLabel('Namn').inputValue(), 'Nina Vallin Nielsen');
    assert.equal(await signers.nth(1).getByLabel('Enhet').inputValue(), 'Barn- och familjeenheten, kvalitet och stöd');
    await w.axe('ny tjänsteskrivelse');
  });

  await w.step(t, 'writes the reference memo; the preview is the template\'s rendering', async () => {
    const xml = fs.readFileSync(path.join(sourceDir, 'samples', 'nacka', 'memo-SOCN-2020-262.xml'), 'utf8');
    model = await page.evaluate(async (x) => (await import('/static/memo.js')).parseMemoXml(x), xml);
    await page.getByLabel('Datum').fill(model.meta.date);
    await page.getByLabel('Titel (måste fyllas i)').fill(model.meta.title);
    await page.getByLabel('Nämnd').fill(model.meta.committee);
    const sections = page.locator('fieldset.avsnitt');
    for (const [i, s] of model.sections.entries()) {
      if (i >= await sections.count()) await page.getByRole('button', { name: 'Lägg till avsnitt' }).click();
      const fs_ = sections.nth(i);
      await fs_.getByLabel('Typ av avsnitt').selectOption(s.kind);
      await fs_.getByLabel('Rubrik').fill(s.heading);
      await fs_.getByLabel('Text').fill(s.text);
    }
    const preview = page.locator('#forhandsvisning-dokument');
    await preview.locator('.underskrift', { hasText: 'Nina Vallin Nielsen' }).waitFor();
    const text = await preview.textContent();
    for (const words of ['Förslag till beslut', 'Konsekvenser för barn', 'SOCN 2020/1', 'Caroline Andreasson']) {
      assert.ok(text.includes(words), `preview lacks "${words}"`);
    }
    assert.equal(await preview.locator('.fotnoter li').count(), 4);
    await page.evaluate(() => window.scrollTo(0, 0));
    await w.screenshot('tjansteskrivelse', false);
    await w.axe('tjänsteskrivelsen med förhandsvisning');
  });

  await w.step(t, 'the draft is kept in the browser through a reload, and leaving asks first', async () => {
    await page.reload();
    await page.getByText('Det här är ditt utkast från').waitFor();
    assert.equal(await page.getByLabel('Titel (måste fyllas i)').inputValue(), model.meta.title);
    assert.equal(await page.locator('fieldset.avsnitt').nth(1).getByLabel('Text').inputValue(), model.sections[1].text);
    await w.axe('tjänsteskrivelse med återställt utkast');
    await page.getByRole('link', { name: 'Tillbaka till ärendet' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /inte är sparade som en version/);
    await w.axe('fråga innan sidan lämnas');
    await dialog.getByRole('button', { name: 'Stanna kvar' }).click();
    assert.match(page.url(), /\/skrivelse$/);
    assert.equal(await page.getByLabel('Titel (måste fyllas i)').inputValue(), model.meta.title);
  });

  await w.step(t, 'the session ends while typing; signing in again in place keeps every word', async () => {
    kansli.setClock('2020-10-05T17:00:00Z');  // nine hours on: the 8-hour session has ended
    const summary = page.locator('fieldset.avsnitt').nth(1).getByLabel('Text');
    // Typing asks the service for a new preview, which meets the ended session.
    await summary.fill(`${await summary.inputValue()}\n\n${ADDED}`);
    const dialog = page.getByRole('dialog', { name: 'Logga in igen' });
    await dialog.waitFor();
    assert.equal(await dialog.getByLabel('Användarnamn').inputValue(), 'nina');
    await w.screenshot('logga-in-igen', false);
    await w.axe('logga in igen i en dialog');
    await dialog.getByLabel('Lösenord').fill('fel lösenord här');
    await dialog.getByRole('button', { name: 'Logga in', exact: true }).click();
    await dialog.locator('.felsammanfattning').waitFor();
    await dialog.getByLabel('Lösenord').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Logga in', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.ok((await summary.inputValue()).endsWith(ADDED), 'the text is still there');
    await page.getByRole('button', { name: 'Spara ny version' }).click();
    await page.getByText('Version 1 är sparad.', { exact: true }).first().waitFor();
    assert.ok((await summary.inputValue()).endsWith(ADDED));
    assert.equal(await page.getByText('Det här är ditt utkast').count(), 0, 'saved: no longer a draft');
  });

  await w.step(t, 'a schema error is shown in Swedish beside the field and linked from the summary', async () => {
    await page.getByRole('button', { name: 'Lägg till avsnitt' }).click();
    const extra = page.locator('fieldset.avsnitt').last();
    await extra.getByLabel('Text').fill('Enheten har också talat med skolan.');
    await page.getByRole('button', { name: 'Spara ny version' }).click();
    const n = await page.locator('fieldset.avsnitt').count();
    await extra.locator('.felmeddelande', { hasText: `Rubriken saknas i avsnitt ${n} (Annat avsnitt).` }).waitFor();
    const items = await summaryItems(page.locator('form.redigerare'));
    assert.ok(items.some((i) => i.includes('Rubriken saknas')), items.join(' | '));
    assert.doesNotMatch(await page.locator('.felsammanfattning').textContent(), /null|[Ee]lement|[Ee]xpect/);
    await w.screenshot('tjansteskrivelse-fel', false);
    await w.axe('tjänsteskrivelse med fel');
    await page.locator('.felsammanfattning a', { hasText: 'Rubriken saknas' }).click();
    assert.equal(await page.evaluate(() => document.activeElement.name), 'heading');
    await page.keyboard.type('Samverkan med skolan');
  });

  await w.step(t, 'a section the template requires, left empty, is named by the service\'s message in Swedish', async () => {
    const child = page.locator('fieldset.avsnitt', { has: page.locator('select option:checked', { hasText: 'Konsekvenser för barn' }) });
    const kept = await child.getByLabel('Text').inputValue();
    await child.getByLabel('Text').fill('');
    await page.getByRole('button', { name: 'Spara ny version' }).click();
    await child.locator('.felmeddelande', { hasText: 'Avsnittet Konsekvenser för barn krävs av mallen. Skriv text i det.' }).waitFor();
    await w.axe('tjänsteskrivelse, avsnitt som mallen kräver');
    await child.getByLabel('Text').fill(kept);
    await page.getByRole('button', { name: 'Spara ny version' }).click();
    await page.getByText('Version 2 är sparad.', { exact: true }).first().waitFor();
  });

  await w.step(t, 'downloads every version as PDF, DOCX and ODT, and sends the memo for approval', async () => {
    await page.getByRole('link', { name: 'Tillbaka till ärendet' }).click();
    await caseState(page, 'Under utredning');
    const pdf = await downloaded(page, () => page.getByRole('button', { name: 'Ladda ned version 1 som PDF' }).click());
    assert.ok(isPdf(pdf.bytes));
    const docx = await downloaded(page, () => page.getByRole('button', { name: 'Ladda ned version 2 som DOCX (Word)' }).click());
    assert.ok(isZip(docx.bytes));
    const odt = await downloaded(page, () => page.getByRole('button', { name: 'Ladda ned version 2 som ODT (LibreOffice)' }).click());
    assert.ok(isZip(odt.bytes));
    await transitionForm(page, 'skicka_for_godkannande').getByRole('button', { name: 'Skicka för godkännande' }).click();
    await caseState(page, 'För godkännande');
    assert.match(await page.locator('#atgarder').locator('..').textContent(), /Nästa steg tas av någon annan: Skicka tillbaka till handläggaren \(enhetschef\); Godkänn tjänsteskrivelsen \(enhetschef\)/);
    await w.axe('ärendet, skickat för godkännande');
  });

  await w.step(t, 'a case sent back shows the unit head\'s comment at the top, also in the editor', async () => {
    await openCase(page, base, returned.id);
    const notice = page.locator('.viktigt');
    await notice.waitFor();
    assert.match(await notice.textContent(), /Tjänsteskrivelsen har skickats tillbaka/);
    assert.match(await notice.textContent(), new RegExp(RETURN_COMMENT.replace('.', '\\.')));
    assert.match(await notice.textContent(), /Caroline Andreasson \(enhetschef\)/);
    await w.screenshot('arende-tillbaka', false);
    await w.axe('ärendet, tillbakaskickat');
    await page.getByRole('link', { name: 'Redigera tjänsteskrivelsen' }).click();
    await page.locator('.viktigt', { hasText: RETURN_COMMENT }).waitFor();
  });

  await t.test('no script errors or CSP refusals in the client', () => {
    assert.deepEqual(browser.problems, []);
    w.report();
  });
});
