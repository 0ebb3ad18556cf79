// The procedure in a real browser: Playwright drives Debian's Chromium (headless)
// through the portal as an applicant and a verifier would. Screenshots of every page
// are kept in $ARTIFACTS. Run by tests/integration/browser_e2e_test.sh.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from './browser.mjs';

const { URL: base, WORK: work, LETTER: letter, ARTIFACTS: artifacts } = process.env;
const password = 'Benar-sekali-2026';
mkdirSync(artifacts, { recursive: true });

const browser = await launchChromium();

let shot = 0;
async function snap(page, name) {
  shot += 1;
  await page.screenshot({ path: join(artifacts, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
}

// Every visible form control has a label a screen reader announces.
async function expectLabelled(page) {
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
      .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
      .map((el) => el.name || el.id));
  assert.deepEqual(unlabelled, [], `unlabelled controls on ${page.url()}`);
}

async function login(nik, lang) {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().includes('favicon')) errors.push(m.text()); });
  await page.goto(`${base}/login${lang === 'en' ? '?lang=en' : ''}`);
  await expectLabelled(page);
  await page.getByLabel(lang === 'en' ? 'NIK (16 digits)' : 'NIK (16 digit)').fill(nik);
  await page.getByLabel(lang === 'en' ? 'Password' : 'Kata sandi', { exact: true }).fill(password);
  await page.getByRole('button', { name: lang === 'en' ? 'Log in' : 'Masuk' }).click();
  await page.waitForURL(/\/sertifikat$/);
  return { context, page, errors };
}

function csrWithToken(token, name) {
  const config = join(work, `${name}.cnf`);
  writeFileSync(config, `[req]\nprompt=no\ndistinguished_name=dn\nattributes=at\n[dn]\nCN=${name}\n[at]\nchallengePassword=${token}\n`);
  const csr = join(work, `${name}.csr`);
  execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', join(work, `${name}.key`), '-config', config, '-out', csr], { stdio: 'ignore' });
  return csr;
}

const words = {
  id: { newRequest: 'Permohonan baru', product: 'Jenis sertifikat dan produk', letter: 'Surat rekomendasi (PDF)',
        accept: /Saya telah membaca/, submit: 'Ajukan permohonan', csrFile: 'Berkas CSR (PEM atau DER)',
        submitCsr: 'Kirim CSR', approve: 'Setujui', queue: 'Antrean verifikasi', valid: 'Aktif',
        superseded: 'Digantikan', issued: 'Sertifikat terbit', passphrase: 'Frasa sandi', repeat: 'Ulangi frasa sandi',
        waiting: 'Menunggu verifikasi', download: 'Unduh token CSR' },
  en: { newRequest: 'New request', product: 'Certificate type and product', letter: 'Recommendation letter (PDF)',
        accept: /I have read/, submit: 'Submit request', csrFile: 'CSR file (PEM or DER)',
        submitCsr: 'Submit CSR', approve: 'Approve', queue: 'Verification queue', valid: 'Valid',
        superseded: 'Superseded', issued: 'Certificate issued', passphrase: 'Passphrase', repeat: 'Repeat the passphrase',
        waiting: 'Waiting for verification', download: 'Download CSR token' },
};

async function openRequest(page, w, method, passphrase) {
  await page.getByRole('link', { name: w.newRequest }).first().click();
  await expectLabelled(page);
  await snap(page, `new-request-${method}`);
  await page.getByLabel(method === 'lock' ? /LOCK/ : /eSign/).check();
  await page.getByLabel(w.product).selectOption('individual-1y');
  await page.getByLabel(w.letter).setInputFiles(letter);
  if (passphrase) {
    await page.getByLabel(w.passphrase, { exact: true }).fill(passphrase);
    await page.getByLabel(w.repeat).fill(passphrase);
  }
  await page.getByLabel(w.accept).check();
  await page.getByRole('button', { name: w.submit }).click();
}

async function verifierApproves(requestId, lang) {
  const w = words[lang];
  const verifier = await login('5108010101900009', lang);
  const page = verifier.page;
  await page.getByRole('link', { name: w.queue }).click();
  await snap(page, `queue-${lang}`);
  await page.getByRole('link', { name: `#${requestId}`, exact: true }).click();
  await expectLabelled(page);
  await snap(page, `review-${requestId}`);
  // The letter: served as a sandboxed PDF to the verifier's session.
  const href = await page.getByTestId('letter-link').getAttribute('href');
  const letterResponse = await page.request.get(new URL(href, base).toString());
  assert.equal(letterResponse.status(), 200);
  assert.equal(letterResponse.headers()['content-type'], 'application/pdf');
  assert.match(letterResponse.headers()['content-security-policy'], /sandbox/);
  assert.equal((await letterResponse.body()).subarray(0, 5).toString(), '%PDF-');
  await page.getByRole('button', { name: w.approve }).click();
  await page.waitForURL(/done=1/);
  await snap(page, `approved-${requestId}`);
  assert.equal(await page.getByTestId('request-state').textContent(), w.issued);
  assert.deepEqual(verifier.errors, []);
  await verifier.context.close();
}

async function expectIssued(page, w, requestId, oldSerial) {
  await page.goto(`${base}/sertifikat`);
  await snap(page, `my-certificates-after-${requestId}`);
  const rows = page.locator('tbody tr:not(.revoke-row)');
  const texts = await rows.allTextContents();
  assert.ok(texts.some((t) => t.includes(w.valid)), `a valid certificate in ${texts}`);
  if (oldSerial) assert.ok(texts.some((t) => t.includes(oldSerial) && t.includes(w.superseded)), `old one superseded in ${texts}`);
  await page.goto(`${base}/permohonan?id=${requestId}`);
  await snap(page, `tracker-${requestId}`);
  assert.equal(await page.locator('.tracker li.done').count(), 8, 'tracker at step 8');
  assert.equal(await page.getByTestId('request-state').textContent(), w.issued);
}

async function lockWalk(nik, lang, oldSerial) {
  const w = words[lang];
  const applicant = await login(nik, lang);
  const page = applicant.page;
  await snap(page, `my-certificates-${lang}`);
  await openRequest(page, w, 'lock');
  const token = (await page.getByTestId('csr-token').textContent()).trim();
  assert.match(token, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
  await snap(page, `token-${lang}`);
  const download = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: w.download }).click()]);
  const saved = join(work, `token-${lang}.txt`);
  await download[0].saveAs(saved);
  assert.equal(execFileSync('cat', [saved]).toString().trim(), token);
  const requestId = (await page.getByRole('link', { name: /#?\d*/ }).last().getAttribute('href')).split('=')[1];
  await page.goto(`${base}/permohonan?id=${requestId}`);
  await expectLabelled(page);
  await snap(page, `request-${requestId}-waiting-csr`);
  assert.equal(await page.locator('.tracker li[aria-current=step] .num').textContent(), '4');
  await page.getByLabel(w.csrFile).setInputFiles(csrWithToken(token, `lock-${lang}`));
  await page.getByRole('button', { name: w.submitCsr }).click();
  await page.waitForURL(/submitted=1/);
  await snap(page, `request-${requestId}-submitted`);
  assert.equal(await page.getByTestId('request-state').textContent(), w.waiting);
  await verifierApproves(requestId, lang);
  await expectIssued(page, w, requestId, oldSerial);
  assert.deepEqual(applicant.errors, []);
  await applicant.context.close();
}

async function esignWalk(nik, lang) {
  const w = words[lang];
  const applicant = await login(nik, lang);
  const page = applicant.page;
  await openRequest(page, w, 'esign', 'Frasa-Sandi-Rahasia-2026');
  await page.waitForURL(/created=1/);
  await snap(page, 'esign-submitted');
  const requestId = new URL(page.url()).searchParams.get('id');
  assert.equal(await page.getByTestId('request-state').textContent(), w.waiting);
  await verifierApproves(requestId, lang);
  await expectIssued(page, w, requestId, null);
  await signAndVerify(page, 'Komang eSign');
  await page.goto(`${base}/bantuan`);
  await snap(page, `help-${lang}`);
  assert.deepEqual(applicant.errors, []);
  await applicant.context.close();
}

// The eSign holder signs a PDF in the portal (page, corner, passphrase) and downloads
// it; pdfsig checks it, zbarimg reads its QR code, and a visitor with no account opens
// that URL and uploads the copy they were given.
async function signAndVerify(page, signer) {
  await page.getByRole('link', { name: 'Tanda tangani dokumen' }).click();
  await expectLabelled(page);
  await page.getByLabel('Berkas PDF').setInputFiles(letter);
  await page.getByLabel('Halaman untuk cap').fill('1');
  await page.getByLabel('Posisi cap').selectOption('bottom-right');
  await page.getByLabel('Frasa sandi', { exact: true }).fill('Frasa-Sandi-Rahasia-2026');
  await snap(page, 'sign-form');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Tanda tangani dan unduh' }).click();
  const signed = join(work, 'browser-signed.pdf');
  await (await download).saveAs(signed);
  assert.match(execFileSync('pdfsig', [signed], { encoding: 'utf8' }), /Signature is Valid/);
  execFileSync('pdftoppm', ['-r', '150', '-png', signed, join(work, 'browser-signed')]);
  const url = execFileSync('zbarimg', ['-q', '--raw', join(work, 'browser-signed-1.png')], { encoding: 'utf8' }).trim();
  assert.match(url, /\/v\/[0-9A-Z]{20}$/);

  const visitor = await browser.newContext({ locale: 'en-US' });
  const check = await visitor.newPage();
  await check.goto(`${base}${new URL(url).pathname}?lang=en`);
  await expectLabelled(check);
  assert.equal(await check.getByTestId('signer').textContent(), signer);
  assert.equal(await check.getByTestId('status-now').textContent(), 'Valid');
  await snap(check, 'verification-page');
  await check.getByLabel('Compare with the file you hold (PDF)').setInputFiles(signed);
  await check.getByRole('button', { name: 'Check' }).click();
  assert.match(await check.getByTestId('verdict').textContent(), /identical to the registered document/);
  assert.match(await check.getByTestId('long-term').textContent(), /Kept in the document/);
  await snap(check, 'verification-identical');
  await visitor.close();
}

try {
  await lockWalk('5108010101900001', 'id', process.env.OLD_SERIAL);
  await esignWalk('5108010101900002', 'id');
  await lockWalk('5108010101900003', 'en', null);
  console.log(`browser walks passed; ${shot} screenshots in ${artifacts}`);
} finally {
  await browser.close();
}
