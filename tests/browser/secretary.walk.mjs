// The committee's day with the reference case SOCN 2020/262's path, through
// the UI only: the secretary creates the meeting choosing chair, adjusters
// and those present from the committee's members by name (with their party,
// a serving substitute and officials on lines; a substitute for someone
// present is refused beside the line), builds the agenda from ready cases,
// sends the notice, adds a standing item and sends version 2, downloads the
// kallelse med handlingar (the approved memo follows the notice, a bookmark
// per item), edits the meeting's end time, records the standing item's and
// the case's decisions (yrkanden, a vote, a reservation; a yrkande without
// who moves it is refused), corrects a decision before justering, draws the
// minutes; the chair and the adjuster attest with their password again
// (a wrong one refused first); the secretary works the expediering list,
// reads the extract, records a rättelse, posts the minutes and closes the
// case after the appeal period (the extract is a document with its PDF); the
// public finds the decision by dnr and by the beginning of a word.
// (Registration to approval is the other walks'.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  walkOnKansli, signIn, signOut, caseState, transitionForm, downloaded, tableText, seedCase,
  openCase, isPdf, PASSWORD, pdfText, pdfOutline, pdfPictures,
} from './harness.mjs';

const walk = walkOnKansli();

const FIRST_SENTENCE = 'Socialnämnden bifaller förslagen i politikerinitiativet på så sätt att barn- och familjeenheten i Nacka ska föra en dialog med människohandelssektionen inom Stockholmspolisen samt etablera en samverkan med uppsökande socialsekreterare prostitution i Stockholm stad i syfte att åstadkomma ett kunskaps- och erfarenhetsutbyte.';
const DECISION_TEXT = `${FIRST_SENTENCE} Politikerinitiativet är med detta färdigbehandlat.`;

test('the committee\'s day: from the agenda to a closed case the public can find', async (t) => {
  const { kansli, browser, page, w } = walk;
  const { base } = kansli;
  const ready = await seedCase(base, { officer: 'nina', to: 'ready' });
  let meetingId;
  const agendaRow = () => page.locator('table', { has: page.locator('caption', { hasText: 'Punkter på föredragningslistan' }) })
    .locator('tbody tr', { hasText: ready.dnr });

  await w.step(t, 'secretary: a meeting with chair, adjuster and attendance chosen from the members', async () => {
    await signIn(page, base, 'sara');
    await page.getByRole('heading', { level: 1, name: 'Sammanträden' }).waitFor();
    await page.getByLabel('Datum').fill('2020-10-20');
    await page.getByLabel('Plats', { exact: true }).fill('Nacka stadshus, sammanträdesrum Jelgava');
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
    const party = page.getByRole('group', { name: 'Parti', exact: true });
    await party.getByLabel('Ola Ordförande').fill('M');
    await party.getByLabel('Judit Justerare').fill('L');
    const others = page.getByLabel('Övriga närvarande');
    assert.equal(await others.inputValue(), 'Sara Sekreterare; sekreterare', 'the secretary herself by default');
    await others.fill([
      'Sara Sekreterare; sekreterare',
      'Andreas Falk; ledamot; S',
      'Lisa Larsson; ledamot; M',
      'Eva Ek; ersättare; KD; Lena Ledamot',
    ].join('\n'));
    await w.screenshot('nytt-sammantrade');
    await w.axe('nytt sammanträde');
    await page.getByRole('button', { name: 'Skapa sammanträdet' }).click();
    await page.getByRole('heading', { level: 1, name: /Socialnämnden/ }).waitFor();
    meetingId = /#\/sammantraden\/(\d+)/.exec(page.url())[1];
    const facts = await page.locator('.fakta').textContent();
    assert.match(facts, /OrdförandeOla Ordförande/);
    assert.match(facts, /JusterareJudit Justerare/);
    assert.match(facts, /Ola Ordförande \(M\), ordförande; Judit Justerare \(L\), ledamot; Sara Sekreterare, sekreterare; Andreas Falk \(S\), ledamot; Lisa Larsson \(M\), ledamot; Eva Ek \(KD\), ersättare för Lena Ledamot/);
    assert.doesNotMatch(facts, /Lena Ledamot[ ,(]/, 'Lena is absent; Eva serves for her');
    assert.doesNotMatch(facts, /(^|[\s(,;])(ordf|just|sara)([\s),;]|$)/, 'names, never usernames');
  });

  await w.step(t, 'secretary: the agenda from ready cases, the notice, a standing item and version 2, the kallelse med handlingar', async () => {
    await page.getByLabel('Ärende som är klart för nämnden').selectOption({ label: `${ready.dnr} Förebyggande åtgärder mot att barn ska fara illa vid sexköp och människohandel` });
    await page.getByRole('button', { name: 'Lägg till på dagordningen' }).click();
    await agendaRow().getByRole('link', { name: ready.dnr }).waitFor();
    await page.getByRole('button', { name: 'Skicka kallelsen' }).click();
    await page.locator('.fakta').getByText('Skickad, version 1').waitFor();
    // After the notice: a standing item first, which waits for version 2.
    await page.getByLabel('Stående punkt eller annan punkt utan ärende').fill('Val av justerare');
    await page.getByLabel('Plats på listan').fill('1');
    await page.getByRole('button', { name: 'Lägg till punkten' }).click();
    await page.getByText('Punkt 1 har lagts till: Val av justerare').waitFor();
    await w.axe('sammanträdet, ändring efter kallelsen');
    await page.getByRole('button', { name: 'Skicka version 2' }).click();
    await page.locator('.fakta').getByText('Skickad, version 2').waitFor();
    assert.match(await tableText(page, 'Skickade versioner av kallelsen'), /Punkt 1 har lagts till: Val av justerare/);
    const notice = await downloaded(page, () => page.getByRole('button', { name: 'Kallelse med handlingar (PDF)' }).click());
    assert.ok(isPdf(notice.bytes));
    pdfPictures(notice.bytes, 'kallelse-med-handlingar', 3);
    const text = pdfText(notice.bytes);
    assert.match(text, /Ändrad kallelse, version 2/);
    assert.match(text, /människohandelssektionen/, 'the approved memo follows the notice');
    assert.match(pdfOutline(notice.bytes), /Punkt 2: SOCN/, 'a bookmark per item');
    await w.screenshot('sammantrade-kallelse');
    await w.axe('sammanträdet (kallelse)');
    await signOut(page);
  });

  await w.step(t, 'secretary, on the day: the end time; yrkanden, a vote, a reservation; a yrkande without a name is refused', async () => {
    kansli.setClock('2020-10-20T12:00:00Z');
    await signIn(page, base, 'sara');
    await page.goto(`${base}/#/sammantraden/${meetingId}`);
    // The meeting's time and attendance: the pickers start from what is recorded.
    await page.locator('summary', { hasText: 'Ändra tid, plats eller närvaro' }).click();
    const change = page.locator('form', { has: page.getByRole('button', { name: 'Spara ändringarna' }) });
    assert.equal(await change.getByLabel('Ordförande', { exact: true }).inputValue(), 'ordf');
    assert.equal(await change.getByRole('group', { name: 'Närvarande ledamöter' }).getByLabel('Lena Ledamot, Ledamot').isChecked(), false);
    assert.equal(await change.getByRole('group', { name: 'Parti', exact: true }).getByLabel('Ola Ordförande').inputValue(), 'M');
    assert.match(await change.getByLabel('Övriga närvarande').inputValue(), /Eva Ek; ersättare; KD; Lena Ledamot/);
    // A substitute serving for a member who is present: the service refuses
    // it, and the message stands beside the line that says so.
    const others = change.getByLabel('Övriga närvarande');
    const recorded = await others.inputValue();
    await others.fill(recorded.replace('Eva Ek; ersättare; KD; Lena Ledamot', 'Eva Ek; ersättare; KD; Ola Ordförande'));
    await change.getByRole('button', { name: 'Spara ändringarna' }).click();
    const besideOthers = change.locator('[data-field="attendance"] .felmeddelande:not([hidden])');
    await besideOthers.waitFor();
    assert.match(await besideOthers.textContent(), /Rad 4: .*Ola Ordförande är själv närvarande/);
    await w.axe('ändra sammanträdet, fel i närvaron');
    await others.fill(recorded);
    await change.getByLabel('Avslutades').fill('15:30');
    await w.axe('ändra sammanträdet');
    await change.getByRole('button', { name: 'Spara ändringarna' }).click();
    await page.locator('.fakta').getByText('13:00–15:30').waitFor();
    assert.match(await page.locator('.fakta').textContent(), /Eva Ek \(KD\), ersättare för Lena Ledamot/);

    const justering = page.locator('form.beslut', { has: page.getByText('Beslut i punkt 1: Val av justerare') });
    await justering.getByLabel('Beslutstext').fill('Judit Justerare (L) utses att jämte ordföranden justera protokollet.');
    await justering.getByRole('button', { name: 'Registrera beslutet' }).click();
    await page.locator('td', { hasText: 'Noteras' }).first().waitFor();

    const form = page.locator('form.beslut', { has: page.getByText(`Beslut i punkt 2: ${ready.dnr}`) });
    await form.getByLabel('Utfall').selectOption('bifall');
    await form.getByLabel('Beslutstext').fill(FIRST_SENTENCE);
    // Regression: a yrkande written without who moves it was printed twice.
    await form.getByLabel('Yrkande', { exact: true }).first().fill('Bifall till förslaget');
    await form.getByRole('button', { name: 'Registrera beslutet' }).click();
    const besideMover = form.locator('[data-field="motions[0].mover"] .felmeddelande:not([hidden])');
    await besideMover.waitFor();
    assert.match(await besideMover.textContent(), /saknas|krävs|tomt/);
    await w.axe('beslut, yrkande utan namn');
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
    assert.equal(await form.getByLabel('Röst: Lena Ledamot').count(), 0, 'the absent member has no vote');
    await form.getByLabel('Vem reserverar sig').fill('Lisa Larsson (M)');
    await form.getByLabel('Skäl').fill('Samverkan finns redan; uppdraget ger dubbelarbete.');
    await form.getByLabel('Beslutet skickas till').fill('Barn- och familjeenheten\nAndreas Falk (S)\nMaria Åberg (S)');
    await form.getByRole('button', { name: 'Registrera beslutet' }).click();
    await agendaRow().locator('td', { hasText: 'Bifall' }).waitFor();
    const row = await agendaRow().textContent();
    assert.match(row, /Andreas Falk \(S\) med instämmande av Eva Ek \(KD\) yrkar Bifall till förslaget/);
    assert.equal((row.match(/Bifall till förslaget/g) || []).length, 1, 'the yrkande is printed once');
    assert.match(row, /Omröstning: 3 ja, 1 nej, 1 avstår/);
    assert.match(row, /Reservationer: Lisa Larsson \(M\)/);

    // A mistake found before justering: a new version, the old one kept with why.
    const fix = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Rätta beslutet i punkt 2' }) });
    await fix.locator('summary', { hasText: 'Rätta beslutet före justeringen' }).click();
    await fix.getByLabel('Beslutstext').fill(DECISION_TEXT);
    await fix.getByRole('button', { name: 'Spara rättelsen' }).click();
    await fix.locator('[data-field="reason"] .felmeddelande:not([hidden])').waitFor();
    await fix.getByLabel('Varför rättas beslutet').fill('Den sista meningen föll bort.');
    await fix.getByRole('button', { name: 'Spara rättelsen' }).click();
    await agendaRow().getByText(/version 2/).waitFor();
    assert.match(await agendaRow().textContent(), /färdigbehandlat/);
    assert.match(await tableText(page, 'Tidigare versioner av beslutet i punkt 2'), /Den sista meningen föll bort\./);
    await w.axe('sammanträdet, rättat beslut');

    await page.getByRole('button', { name: 'Upprätta protokollet' }).click();
    await page.getByText('Upprättat, ej justerat').waitFor();
    await w.screenshot('sammantrade');
    await w.axe('sammanträdet');
    await signOut(page);
  });

  await w.step(t, 'chair and adjuster attest the minutes with their password again; names, not usernames', async () => {
    for (const [who, name] of [['ordf', 'Ola Ordförande'], ['just', 'Judit Justerare']]) {
      await signIn(page, base, who);
      await page.goto(`${base}/#/sammantraden/${meetingId}`);
      // A wrong password first: refused beside the field, nothing attested.
      await page.getByLabel('Ditt lösenord').fill('inte-mitt-losenord');
      await page.getByRole('button', { name: 'Justera protokollet' }).click();
      await page.locator('[data-field="password"] .felmeddelande:not([hidden])').waitFor();
      assert.doesNotMatch(await page.locator('.fakta').textContent(), new RegExp(`Justerat av.*${name}`));
      if (who === 'ordf') await w.axe('justering, fel lösenord');
      await page.getByLabel('Ditt lösenord').fill(PASSWORD);
      await page.getByRole('button', { name: 'Justera protokollet' }).click();
      await page.locator('.fakta div', { hasText: 'Justerat av' }).getByText(new RegExp(`${name} \\((ordförande|justerare)\\) 2020.*bekräftat med lösenord`)).waitFor();
      await w.axe(`sammanträdet, justerat av ${who}`);
      await signOut(page);
    }
  });

  await w.step(t, 'secretary: the expediering list, the extract with yrkanden, vote and reservation, a rättelse', async () => {
    await signIn(page, base, 'sara');
    await page.goto(`${base}/#/sammantraden/${meetingId}`);
    const list = page.locator('table', { has: page.locator('caption', { hasText: 'Utskick av protokollsutdrag' }) });
    await list.waitFor();
    assert.match(await list.textContent(), /Barn- och familjeenheten.*barn-och-familj@nacka\.example.*Köad/s);
    assert.match(await list.textContent(), /Andreas Falk \(S\).*Skickas per post/s);
    await page.getByRole('button', { name: 'Skickad per post: Andreas Falk (S)' }).click();
    await list.getByText('Skickad per post').first().waitFor();
    await w.screenshot('expediering');
    await w.axe('expedieringen');
    const decision = (await page.evaluate(async (id) => {
      const r = await fetch(`/api/v1/meetings/${id}`, { credentials: 'same-origin' });
      return r.json();
    }, meetingId)).items[1].decision.id;
    await page.goto(`${base}/api/v1/decisions/${decision}?format=html`);
    const extractText = await page.locator('body').textContent();
    assert.match(extractText, /reserverar sig mot beslutet/);
    assert.match(extractText, /färdigbehandlat/, 'the corrected version');
    await w.screenshot('protokollsutdrag');
    // Back in the client before fetching the PDF: the HTML document's own
    // policy (default-src 'none') lets nothing connect from its page.
    await page.goto(`${base}/#/sammantraden/${meetingId}`);
    await page.locator('h1').waitFor();
    const pdf = await page.evaluate(async (id) => {
      const res = await fetch(`/api/v1/decisions/${id}?format=pdf`, { credentials: 'same-origin' });
      return Array.from(new Uint8Array(await res.arrayBuffer()));
    }, decision);
    assert.ok(isPdf(Buffer.from(pdf)));
    pdfPictures(Buffer.from(pdf), 'protokollsutdrag-pdf', 1);

    // After justering a decision is corrected only by a rättelse, which the
    // next meeting's protocol reports.
    assert.equal(await page.getByRole('button', { name: 'Spara rättelsen' }).count(), 0, 'no correction after justering');
    await page.locator('summary', { hasText: 'Rättelse av beslutet i punkt 2' }).click();
    const rattelse = page.locator('form', { has: page.getByRole('button', { name: 'Registrera rättelsen' }) }).last();
    await rattelse.getByLabel('Riktig lydelse').fill('Beslutet skickas även till Socialnämndens arkiv.');
    await rattelse.getByLabel('Vad var fel').fill('Mottagaren föll bort i utskicket.');
    await rattelse.getByRole('button', { name: 'Registrera rättelsen' }).click();
    await agendaRow().getByText(/Rättelse 2020-10-20: Beslutet skickas även till Socialnämndens arkiv\./).waitFor();
    await w.axe('sammanträdet, rättelse');
    await signOut(page);
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
    assert.match(docs, /Protokollsutdrag Socialnämnden 2020-10-20 § 2/);
    // The extract itself, and its sending by post registered as an outgoing handling.
    assert.match(docs, /Protokollsutdrag Socialnämnden 2020-10-20 § 2.*\(.*post.*\)/s);
    assert.match(docs, /Andreas Falk \(S\)/);
    const extract = await downloaded(page, () => page.getByRole('button', { name: 'Hämta handling 3, protokollsutdraget, som PDF' }).click());
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
