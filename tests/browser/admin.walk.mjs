// The administrator's day, through the UI only: the list of users, adding a
// user (a mistyped e-mail said beside the field first), a one-time password
// shown once, editing title, unit and committee, resetting a password,
// disabling and enabling an account after a confirmation; every change an
// audit event. And the new user's first sign-in, where the one-time password
// must be replaced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  walkOnKansli, signIn, signOut, tableText, summaryItems, PASSWORD,
} from './harness.mjs';

const walk = walkOnKansli();

const NEW_PASSWORD = 'vinterns-första-snö-över-Nacka';

test('the administrator\'s day', async (t) => {
  const { kansli, browser, page, w } = walk;
  const { base } = kansli;
  let oneTime;
  let reset;

  await w.step(t, 'the list of users, with names, roles, units and the state of each account', async () => {
    await signIn(page, base, 'ada');
    await page.getByRole('heading', { level: 1, name: 'Användare' }).waitFor();
    const list = await tableText(page, 'Användare i namnordning');
    assert.match(list, /Nina Vallin Nielsen.*nina.*Handläggare.*Barn- och familjeenheten, kvalitet och stöd.*nina@nacka\.se.*Aktivt/);
    assert.match(list, /Sara Sekreterare.*Nämndsekreterare.*Socialnämnden/);
    await page.getByLabel('Roll').selectOption('ledamot');
    await page.getByRole('button', { name: 'Visa' }).click();
    await page.getByRole('heading', { level: 2, name: '3 av 10 användare' }).waitFor();
    await w.screenshot('anvandare');
    await w.axe('användarlistan');
  });

  await w.step(t, 'adds a user: a mistyped e-mail is said beside the field; then a one-time password, shown once', async () => {
    await page.getByRole('link', { name: 'Lägg till användare' }).click();
    await page.getByRole('heading', { level: 1, name: 'Lägg till användare' }).waitFor();
    await page.getByRole('button', { name: 'Lägg till användaren' }).click();
    const items = await summaryItems(page.locator('form.formular'));
    assert.deepEqual(items, ['Användarnamn: Skriv ett användarnamn.', 'Fullständigt namn: Skriv personens fullständiga namn.', 'Roll: Välj en roll.']);
    await w.axe('lägg till användare, fel');
    await page.getByLabel('Användarnamn').fill('hanna.hedlund');
    await page.getByLabel('Fullständigt namn').fill('Hanna Hedlund');
    await page.getByLabel('Titel').fill('Socialsekreterare');
    await page.getByLabel('E-post').fill('hanna.hedlund@nacka');
    await page.getByLabel('Telefon').fill('08-718 80 00');
    await page.getByLabel('Roll').selectOption('handlaggare');
    await page.getByLabel('Enhet').selectOption({ label: 'Barn- och familjeenheten' });
    await page.getByRole('button', { name: 'Lägg till användaren' }).click();
    await page.locator('[data-field="email"] .felmeddelande', { hasText: 'Skriv e-postadressen som namn@exempel.se.' }).waitFor();
    await w.screenshot('anvandare-ny-fel', false);
    await w.axe('lägg till användare, fel e-post');
    await page.getByLabel('E-post').fill('hanna.hedlund@nacka.se');
    await page.getByRole('button', { name: 'Lägg till användaren' }).click();
    const box = page.locator('.engangslosenord');
    await box.waitFor();
    oneTime = (await box.locator('code').textContent()).trim();
    assert.match(oneTime, /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    assert.match(await box.textContent(), /Hanna Hedlund \(hanna\.hedlund\) är tillagd som handläggare/);
    await w.axe('användaren tillagd, engångslösenord');
    assert.equal(kansli.auditCount('user.add'), 11);
  });

  await w.step(t, 'edits the title, unit and committee of a user; the change is an audit event', async () => {
    await page.getByRole('link', { name: 'Till listan' }).click();
    await page.getByRole('link', { name: 'Olof Utredare' }).click();
    await page.getByRole('heading', { level: 1, name: 'Olof Utredare' }).waitFor();
    await page.getByLabel('Titel').fill('Förste socialsekreterare');
    await page.getByLabel('Enhet').selectOption({ label: 'Barn- och familjeenheten, kvalitet och stöd' });
    await page.getByRole('button', { name: 'Spara ändringarna' }).click();
    await page.locator('#status', { hasText: 'Ändringarna är sparade.' }).waitFor();
    assert.equal(await page.getByLabel('Titel').inputValue(), 'Förste socialsekreterare');
    assert.equal(kansli.auditCount('user.update'), 1);
    await w.screenshot('anvandare-redigera');
    await w.axe('redigera användare');
  });

  await w.step(t, 'resets a password after a confirmation: a one-time password, every session ended', async () => {
    await page.getByRole('button', { name: 'Återställ lösenordet' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /Olof Utredare loggas ut överallt/);
    await dialog.getByRole('button', { name: 'Återställ lösenordet' }).click();
    const box = page.locator('.engangslosenord');
    await box.waitFor();
    reset = (await box.locator('code').textContent()).trim();
    assert.notEqual(reset, oneTime);
    assert.equal(kansli.auditCount('user.password_reset'), 1);
  });

  await w.step(t, 'disables an account after a confirmation naming it, and enables it again', async () => {
    await page.getByRole('button', { name: 'Stäng av kontot' }).click();
    const dialog = page.getByRole('dialog');
    assert.match(await dialog.textContent(), /Olof Utredare \(olof\) loggas ut genast/);
    await w.axe('bekräfta avstängning');
    await dialog.getByRole('button', { name: 'Stäng av kontot' }).click();
    await page.locator('.fakta', { hasText: 'Avstängt' }).waitFor();
    await page.getByRole('button', { name: 'Aktivera kontot' }).click();
    await page.locator('.fakta', { hasText: 'Ska byta lösenord vid nästa inloggning' }).waitFor();
    assert.equal(kansli.auditCount('user.disable'), 1);
    assert.equal(kansli.auditCount('user.enable'), 1);
    await signOut(page);
  });

  await w.step(t, 'the new user signs in with the one-time password and must choose their own', async () => {
    await page.goto(`${base}/#/logga-in`);
    await page.getByLabel('Användarnamn').fill('hanna.hedlund');
    await page.locator('[name="password"]').fill(oneTime);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByText('Du har fått ett engångslösenord').waitFor();
    await page.locator('[name="new_password"]').fill(NEW_PASSWORD);
    await page.locator('[name="new_password_again"]').fill(`${NEW_PASSWORD}!`);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.locator('[data-field="new_password_again"] .felmeddelande', { hasText: 'Lösenorden är inte likadana.' }).waitFor();
    await w.screenshot('byt-engangslosenord', false);
    await w.axe('första inloggningen, nytt lösenord');
    await page.locator('[name="new_password_again"]').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByRole('button', { name: 'Logga ut' }).waitFor();
    await page.getByRole('heading', { level: 1, name: 'Mina ärenden' }).waitFor();
    assert.match(await page.locator('#inloggad').textContent(), /Hanna Hedlund \(handläggare\)/);
    await signOut(page);
    // The one-time password is spent; the chosen one works.
    const again = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'hanna.hedlund', password: oneTime }) });
    assert.equal(again.status, 401);
    await signIn(page, base, 'hanna.hedlund', NEW_PASSWORD);
    await signOut(page);
  });

  await w.step(t, 'the reset user has lost the old password', async () => {
    const old = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'olof', password: PASSWORD }) });
    assert.equal(old.status, 401);
  });

  await t.test('no script errors or CSP refusals in the client', () => {
    assert.deepEqual(browser.problems, []);
    w.report();
  });
});
