// The unit head's day, through the UI only: sees what waits (cases without
// an officer, memos to approve), assigns an officer from a list of the
// unit's people by name and title, sends a memo back (the comment is
// required and said so beside the field), approves the next version, and
// finds the approved memo registered as a document with its PDF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  walkOnKansli, signIn, caseState, transitionForm, downloaded, tableText, seedCase, apiAs,
  openCase, referenceMemoXml, isPdf,
} from './harness.mjs';

const walk = walkOnKansli();

test('the unit head\'s day', async (t) => {
  const { kansli, browser, page, w } = walk;
  const { base } = kansli;
  const unassigned = await seedCase(base, { officer: null, subject: 'Familjehem för syskongrupper' });
  const submitted = await seedCase(base, { officer: 'nina', to: 'submitted' });

  await w.step(t, 'my cases: what waits for approval and what has no officer', async () => {
    await signIn(page, base, 'caroline');
    await page.getByRole('heading', { level: 1, name: 'Mina ärenden' }).waitFor();
    assert.match(await tableText(page, 'Tjänsteskrivelser att godkänna'), /SOCN 2020\/2/);
    assert.match(await tableText(page, 'Ärenden utan handläggare'), /SOCN 2020\/1/);
    await w.screenshot('mina-arenden-enhetschef');
    await w.axe('mina ärenden, enhetschef');
  });

  await w.step(t, 'assigns an officer from the unit\'s people, by name and title', async () => {
    await openCase(page, base, unassigned.id);
    const form = transitionForm(page, 'tilldela_handlaggare');
    const picker = form.getByLabel('Handläggare');
    await picker.locator('option', { hasText: 'Olof Utredare' }).waitFor({ state: 'attached' });
    const options = await picker.locator('option').allTextContents();
    assert.ok(options.includes('Olof Utredare, Socialsekreterare'), options.join(' | '));
    assert.ok(options.some((o) => o.startsWith('Nina Vallin Nielsen, Kvalitetsutvecklare')), 'a sub-unit\'s officer too');
    assert.ok(!options.some((o) => o.startsWith('Erik Ekonom')), 'not another unit\'s officer');
    assert.ok(!options.some((o) => /\b(olof|nina)\b/.test(o)), 'names, not usernames');
    await w.axe('tilldela handläggare');
    await picker.selectOption({ label: 'Olof Utredare, Socialsekreterare' });
    await form.getByRole('button', { name: 'Tilldela handläggare' }).click();
    await caseState(page, 'Under utredning');
    assert.match(await page.locator('.fakta').textContent(), /HandläggareOlof Utredare/);
    assert.match(await tableText(page, 'Ärendets händelser'), /Handläggare: Olof Utredare/);
  });

  await w.step(t, 'sends the memo back: a comment is required, said beside the field', async () => {
    await openCase(page, base, submitted.id);
    await caseState(page, 'För godkännande');
    const form = transitionForm(page, 'aterforvisa');
    await form.getByRole('button', { name: 'Skicka tillbaka till handläggaren' }).click();
    const error = form.locator('[data-field="comment"] .felmeddelande');
    await error.waitFor();
    assert.match(await error.textContent(), /Skriv en kommentar: vad som ska kompletteras\./);
    await w.axe('skicka tillbaka utan kommentar');
    await form.getByLabel('Kommentar').fill('Komplettera med statistik för polisregion Stockholm.');
    await form.getByRole('button', { name: 'Skicka tillbaka till handläggaren' }).click();
    await caseState(page, 'Under utredning');
    await page.locator('.viktigt', { hasText: 'Komplettera med statistik' }).waitFor();
  });

  await w.step(t, 'approves the next version; the approved memo is a document with its PDF', async () => {
    const nina = await apiAs(base, 'nina');
    assert.equal((await nina.put(`/api/v1/cases/${submitted.id}/memo`, referenceMemoXml())).status, 201);
    await nina.take(submitted.id, 'skicka_for_godkannande');
    await page.reload();
    await caseState(page, 'För godkännande');
    assert.equal(await page.locator('.viktigt').count(), 0, 'the comment goes once the memo is sent again');
    await transitionForm(page, 'godkann').getByLabel('Kommentar (valfri)').fill('Godkänd.');
    await transitionForm(page, 'godkann').getByRole('button', { name: 'Godkänn tjänsteskrivelsen' }).click();
    await caseState(page, 'Klar för nämnd');
    const versions = await tableText(page, 'Versioner av tjänsteskrivelsen');
    assert.match(versions, /Ja, .* av Caroline Andreasson/);
    // The approved version is the decision basis: marked, and no new draft
    // is offered until the case goes back to investigation.
    assert.match(versions, /2 \(beslutsunderlag\)/);
    assert.match(versions, /1 \(utkast\)/);
    assert.equal(await page.getByRole('link', { name: 'Redigera tjänsteskrivelsen' }).count(), 0);
    await page.getByText('Den godkända versionen är beslutsunderlag.', { exact: false }).waitFor();
    const docs = await tableText(page, 'Handlingar i ärendet');
    assert.match(docs, /Tjänsteskrivelse - /);
    assert.match(docs, /Upprättad/);
    const pdf = await downloaded(page, () => page.getByRole('button', { name: /Hämta handling 2, tjänsteskrivelsen version 2, som PDF/ }).click());
    assert.ok(isPdf(pdf.bytes));
    await w.screenshot('arende');
    await w.axe('ärendet, godkänt');
  });

  await t.test('no script errors or CSP refusals in the client', () => {
    assert.deepEqual(browser.problems, []);
    w.report();
  });
});
