// Every user's own account, through the UI only, for one user of each role:
// Mitt konto shows what the directory says of them; the password changes and
// the next sign-in takes the new one. For the first (the registrar) also: a
// wrong current password and a too short new one are said beside the
// fields, and the sessions list shows where they are signed in and ends
// another session (a program's token, which then stops working).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  walkOnKansli, signIn, signOut, apiAs, tableText, nameOf, PASSWORD,
} from './harness.mjs';

const walk = walkOnKansli();

const roles = [['rita', 'registrator'], ['nina', 'handlaggare'], ['caroline', 'enhetschef'],
  ['sara', 'namndsekreterare'], ['lena', 'ledamot'], ['ada', 'admin']];

test('every user changes their own password and ends a session', async (t) => {
  const { kansli, browser, page, w } = walk;
  const { base } = kansli;

  for (const [username, role] of roles) {
    const fresh = `eget-lösenord-för-${username}-2020`;
    await w.step(t, `${role}: Mitt konto and a new password${role === 'registrator' ? ', mistakes, another session ended' : ''}`, async () => {
      const first = role === 'registrator';  // the mistakes and the sessions, once
      const program = first ? await apiAs(base, username) : null;  // signed in elsewhere too
      await signIn(page, base, username);
      await page.locator('#inloggad').getByRole('link', { name: new RegExp(nameOf(username)) }).click();
      await page.getByRole('heading', { level: 1, name: 'Mitt konto' }).waitFor();
      const facts = await page.locator('.fakta').textContent();
      assert.match(facts, new RegExp(`Namn${nameOf(username)}`));
      assert.match(facts, new RegExp(`E-post${username}@nacka\\.se`));
      if (first) await w.axe('mitt konto');

      const form = page.locator('form', { has: page.getByRole('button', { name: 'Byt lösenord' }) });
      if (first) {
        await form.locator('[name="current_password"]').fill('inte-mitt-lösenord-alls');
        await form.locator('[name="new_password"]').fill(fresh);
        await form.locator('[name="new_password_again"]').fill(fresh);
        await form.getByRole('button', { name: 'Byt lösenord' }).click();
        await form.locator('[data-field="current_password"] .felmeddelande', { hasText: 'Det nuvarande lösenordet stämmer inte.' }).waitFor();
        await w.screenshot('konto-fel', false);
        await w.axe('mitt konto, fel lösenord');
        await form.locator('[name="current_password"]').fill(PASSWORD);
        await form.locator('[name="new_password"]').fill('kort');
        await form.locator('[name="new_password_again"]').fill('kort');
        await form.getByRole('button', { name: 'Byt lösenord' }).click();
        await form.locator('[data-field="new_password"] .felmeddelande', { hasText: 'minst 12 tecken' }).waitFor();

        // Another session: listed, then ended; the program's token stops working.
        const sessions = await tableText(page, 'Öppna inloggningar');
        assert.match(sessions, /Den här inloggningen/);
        assert.equal(await page.locator('table', { has: page.locator('caption', { hasText: 'Öppna inloggningar' }) }).locator('tbody tr').count(), 2);
        await page.getByRole('button', { name: /^Avsluta inloggningen i/ }).click();
        const dialog = page.getByRole('dialog');
        await w.axe('avsluta inloggning');
        await dialog.getByRole('button', { name: 'Avsluta inloggningen' }).click();
        await page.locator('#status', { hasText: 'är avslutad' }).waitFor();
        assert.equal((await program.get('/api/v1/me')).status, 401, 'the ended session no longer works');
        assert.equal(await page.locator('table', { has: page.locator('caption', { hasText: 'Öppna inloggningar' }) }).locator('tbody tr').count(), 1);
      }

      await form.locator('[name="current_password"]').fill(PASSWORD);
      await form.locator('[name="new_password"]').fill(fresh);
      await form.locator('[name="new_password_again"]').fill(fresh);
      await form.getByRole('button', { name: 'Byt lösenord' }).click();
      await page.locator('#status', { hasText: 'Ditt lösenord är bytt.' }).waitFor();
      if (first) {
        await w.screenshot('konto');
        await w.axe('mitt konto, lösenordet bytt');
      }
      await signOut(page);
      await signIn(page, base, username, fresh);
      await signOut(page);
    });
  }

  await w.step(t, 'every change was an audit event', async () => {
    assert.equal(kansli.auditCount('user.password_change'), roles.length);
    assert.equal(kansli.auditCount('session.end'), 1);
  });

  await t.test('no script errors or CSP refusals in the client', () => {
    assert.deepEqual(browser.problems, []);
    w.report();
  });
});
