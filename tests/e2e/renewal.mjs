// The portal's Renew action in a real browser (Playwright with Debian's Chromium): an
// eSign holder renews with one click and the passphrase entered again, and sees the
// renewal's steps and the old certificate superseded; a wrong passphrase renews
// nothing; a LOCK holder is shown the `lontar-lock renew` command. Run by
// tests/integration/renewal_browser_test.sh.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from './browser.mjs';

const { URL: base, ARTIFACTS: artifacts, ESIGN_NIK: esignNik, LOCK_NIK: lockNik, PASSPHRASE: passphrase } = process.env;
const password = 'Benar-sekali-2026';
mkdirSync(artifacts, { recursive: true });
const browser = await launchChromium();

async function logIn(nik) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}/login`);
  await page.getByLabel('NIK (16 digit)').fill(nik);
  await page.getByLabel('Kata sandi', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.waitForURL(/\/sertifikat$/);
  return { context, page, errors };
}

try {
  const esign = await logIn(esignNik);
  const form = esign.page.getByTestId('renew-esign');
  assert.equal(await form.count(), 1, 'a Renew form for the eSign certificate inside its window');
  await esign.page.screenshot({ path: join(artifacts, '01-renew-offered.png'), fullPage: true });

  await form.getByLabel('Frasa sandi kunci eSign').fill('Salah-Sekali-2026');
  await form.getByRole('button', { name: 'Perbarui' }).click();
  await esign.page.waitForURL(/\/sertifikat\?error=wrong_passphrase$/);
  assert.match(await esign.page.getByRole('alert').textContent(), /Frasa sandi salah; sertifikat tidak diperbarui/);

  await esign.page.getByTestId('renew-esign').getByLabel('Frasa sandi kunci eSign').fill(passphrase);
  await esign.page.getByTestId('renew-esign').getByRole('button', { name: 'Perbarui' }).click();
  await esign.page.waitForURL(/\/permohonan\?id=\d+$/);
  const tracker = await esign.page.getByRole('list', { name: /Kemajuan|Progress/ }).textContent();
  assert.match(tracker, /Sertifikat baru terbit; yang lama digantikan/, 'the renewal tracker');
  await esign.page.screenshot({ path: join(artifacts, '02-renewal-request.png'), fullPage: true });

  await esign.page.goto(`${base}/sertifikat`);
  const statuses = await esign.page.locator('td .status').allTextContents();
  assert.ok(statuses.includes('Digantikan'), `the old certificate is superseded (${statuses})`);
  assert.ok(statuses.some((s) => s === 'Aktif'), `the new certificate is valid (${statuses})`);
  assert.deepEqual(esign.errors, []);
  await esign.context.close();

  const lock = await logIn(lockNik);
  const offer = lock.page.getByTestId('renew-lock');
  assert.equal(await offer.count(), 1, 'a LOCK holder is offered the renewal');
  assert.match(await offer.textContent(), /lontar-lock renew/);
  assert.equal(await lock.page.getByTestId('renew-esign').count(), 0, 'no server-side key for a LOCK holder');
  await lock.page.screenshot({ path: join(artifacts, '03-renew-lock.png'), fullPage: true });
  await lock.context.close();
  console.log('renewal in the browser: ok');
} finally {
  await browser.close();
}
