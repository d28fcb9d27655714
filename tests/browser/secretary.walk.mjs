// The committee's day with the reference case SOCN 2020/262's path, through
// the UI only: the secretary creates the meeting choosing chair, adjusters
// and those present from the committee's members by name, builds the agenda
// from ready cases, downloads the notice, records the decision, draws the
// minutes; the chair and the adjuster attest; the secretary posts the
// minutes and closes the case after the appeal period (the extract is a
// document with its PDF); the public finds the decision by dnr and by the
// beginning of a word. (Registration to approval is the other walks'.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startKansli, launch, walker, signIn, signOut, caseState, transitionForm, downloaded, tableText, seedCase,
  openCase, isPdf,
} from './harness.mjs';

let kansli;
let browser;
let page;
let w;

before(async () => {
  kansli = await startKansli();
  browser = await launch();
  page = browser.page;
  w = walker(page);
});

after(async () => {
  await browser?.close();
  await kansli?.stop();
});

const DECISION_TEXT = 'Socialnämnden bifaller förslagen i politikerinitiativet på så sätt att barn- och familjeenheten i Nacka ska föra en dialog med människohandelssektionen inom Stockholmspolisen samt etablera en samverkan med uppsökande socialsekreterare prostitution i Stockholm stad i syfte att åstadkomma ett kunskaps- och erfarenhetsutbyte. Politikerinitiativet är med detta färdigbehandlat.';

test('the committee\'s day: from the agenda to a closed case the public can find', async (t) => {
  const { base } = kansli;
  const ready = await seedCase(base, { officer: 'nina', to: 'ready' });
  let meetingId;

  await w.step(t, 'secretary: a meeting with chair, adjuster and attendance chosen from the members', async () => {
    await signIn(page, base, 'sara');
    await page.getByRole('heading', { level: 1, name: 'Sammanträden' }).waitFor();
    await page.getByLabel('Datum').fill('2020-10-20');
    await page.getByLabel('Plats').fill('Nacka stadshus, sammanträdesrum Jelgava');
    const chair = page.getByLabel('Ordförande', { exact: true });
    const options = await chair.locator('option').allTextContents();
    assert.ok(options.includes('Ola Ordförande, Ordförande'), options.join(' | '));
    assert.ok(!options.some((o) => /Sara|Rita/.test(o)), 'members only');
    // The chair as adjuster too: refused beside the field before anything is sent.
    await chair.selectOption({ label: 'Ola Ordförande, Ordförande' });
    await page.getByRole('group', { name: 'Justerare' }).getByLabel('Ola Ordförande, Ordförande').check();
    await page.getByRole('button', { name: 'Skapa sammanträdet' }).click();
    await page.locator('[data-field="adjusters"] .felmeddelande', { hasText: 'Ordföranden justerar redan' }).waitFor();
    await w.axe('nytt sammanträde, fel');
    await page.getByRole('group', { name: 'Justerare' }).getByLabel('Ola Ordförande, Ordförande').uncheck();
    await page.getByRole('group', { name: 'Justerare' }).getByLabel('Judit Justerare, Ledamot').check();
    await page.getByRole('group', { name: 'Närvarande ledamöter' }).getByLabel('Lena Ledamot, Ledamot').uncheck();
    await w.screenshot('nytt-sammantrade');
    await w.axe('nytt sammanträde');
    await page.getByRole('button', { name: 'Skapa sammanträdet' }).click();
    await page.getByRole('heading', { level: 1, name: /Socialnämnden/ }).waitFor();
    meetingId = /#\/sammantraden\/(\d+)/.exec(page.url())[1];
    const facts = await page.locator('.fakta').textContent();
    assert.match(facts, /OrdförandeOla Ordförande/);
    assert.match(facts, /JusterareJudit Justerare/);
    assert.match(facts, /Ola Ordförande \(ordförande\), Judit Justerare \(ledamot\), Sara Sekreterare \(sekreterare\)/);
    assert.doesNotMatch(facts, /Lena/);
  });

  await w.step(t, 'secretary: the agenda from ready cases, the notice, the decision with yrkanden, the minutes', async () => {
    await page.getByLabel('Ärende som är klart för nämnden').selectOption({ label: `${ready.dnr} Förebyggande åtgärder mot att barn ska fara illa vid sexköp och människohandel` });
    await page.getByRole('button', { name: 'Lägg till på dagordningen' }).click();
    await page.locator('table', { has: page.locator('caption', { hasText: 'Punkter' }) }).getByRole('link', { name: ready.dnr }).waitFor();
    const notice = await downloaded(page, () => page.getByRole('button', { name: 'Kallelse med föredragningslista (PDF)' }).click());
    assert.ok(isPdf(notice.bytes));
    kansli.setClock('2020-10-20T12:00:00Z');
    await signIn(page, base, 'sara');
    await page.goto(`${base}/#/sammantraden/${meetingId}`);
    const form = page.locator('form.beslut');
    await form.getByLabel('Utfall').selectOption('bifall');
    await form.getByLabel('Beslutstext').fill(DECISION_TEXT);
    await form.getByLabel('Yrkanden').fill('Andreas Falk (S): Bifall till förslaget');
    await form.getByLabel('Reservationer').fill('Lisa Larsson (M): Avslag');
    await form.getByLabel('Beslutet skickas till').fill('Barn- och familjeenheten\nAndreas Falk (S)\nMaria Åberg (S)');
    await form.getByRole('button', { name: 'Registrera beslutet' }).click();
    await page.locator('td', { hasText: 'Bifall' }).first().waitFor();
    await page.getByRole('button', { name: 'Upprätta protokollet' }).click();
    await page.getByText('Upprättat, ej justerat').waitFor();
    await w.screenshot('sammantrade');
    await w.axe('sammanträdet');
    await signOut(page);
  });

  await w.step(t, 'chair and adjuster attest the minutes; names, not usernames', async () => {
    for (const [who, name] of [['ordf', 'Ola Ordförande'], ['just', 'Judit Justerare']]) {
      await signIn(page, base, who);
      await page.goto(`${base}/#/sammantraden/${meetingId}`);
      await page.getByRole('button', { name: 'Justera protokollet' }).click();
      await page.locator('.fakta div', { hasText: 'Justerat av' }).getByText(new RegExp(`${name} \\((ordförande|justerare)\\) 2020`)).waitFor();
      await w.axe(`sammanträdet, justerat av ${who}`);
      await signOut(page);
    }
  });

  await w.step(t, 'secretary: posts the minutes; after the appeal period closes the case, whose extract has its PDF', async () => {
    kansli.setClock('2020-10-22T08:00:00Z');
    await signIn(page, base, 'sara');
    await page.goto(`${base}/#/sammantraden/${meetingId}`);
    await page.getByRole('button', { name: 'Anslå protokollet' }).click();
    await page.getByText(/Anslaget 22 oktober 2020/).first().waitFor();
    await openCase(page, base, ready.id);
    await caseState(page, 'Justerad');
    assert.match(await page.locator('#atgarder').locator('..').textContent(), /Avsluta ärendet: Beslutet har inte vunnit laga kraft/);
    await signOut(page);
    await page.goto(`${base}/#/anslag`);
    await page.locator('td', { hasText: '12 november 2020' }).waitFor();
    await w.axe('anslagstavlan');

    kansli.setClock('2020-11-13T08:00:00Z');
    await signIn(page, base, 'sara');
    await openCase(page, base, ready.id);
    await transitionForm(page, 'avsluta').getByRole('button', { name: 'Avsluta ärendet' }).click();
    await caseState(page, 'Avslutad');
    const docs = await tableText(page, 'Handlingar i ärendet');
    assert.match(docs, /Protokollsutdrag Socialnämnden 2020-10-20 § 1/);
    const extract = await downloaded(page, () => page.getByRole('button', { name: /protokollsutdraget, som PDF/ }).click());
    assert.ok(isPdf(extract.bytes));
    const memo = await downloaded(page, () => page.getByRole('button', { name: /tjänsteskrivelsen version 1, som PDF/ }).click());
    assert.ok(isPdf(memo.bytes));
    await w.axe('ärendet, avslutat');
    await signOut(page);
  });

  await w.step(t, 'the public finds the decision by dnr and by the beginning of a word, with the extract as PDF', async () => {
    for (const q of [ready.dnr, '2020/1', 'människohandelssekt']) {
      await page.goto(`${base}/#/beslut`);
      await page.getByLabel('Sök', { exact: true }).fill(q);
      await page.getByRole('button', { name: 'Sök', exact: true }).click();
      await page.locator('tbody tr', { hasText: ready.dnr }).waitFor();
    }
    await page.locator('tbody tr', { hasText: ready.dnr }).getByRole('link').click();
    await page.getByRole('heading', { level: 2, name: 'Protokollsutdrag' }).waitFor();
    assert.match(await page.locator('main').textContent(), /bifaller förslagen/);
    const href = await page.getByRole('link', { name: 'Protokollsutdrag (PDF)' }).getAttribute('href');
    const r = await fetch(`${base}${href}`);
    assert.equal(r.status, 200);
    assert.ok(isPdf(Buffer.from(await r.arrayBuffer())));
    await w.screenshot('beslut-publikt');
    await w.axe('beslutet (publikt)');
  });

  await t.test('no script errors or CSP refusals in the client', () => {
    assert.deepEqual(browser.problems, []);
    w.report();
  });
});
