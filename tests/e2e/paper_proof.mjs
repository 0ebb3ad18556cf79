// Paper proof in a real browser: the QR code on a printed letter opens the letter
// itself. Playwright drives Debian's Chromium; pdftoppm, zbarimg and pdfsig (none of
// them ours) render the paper, read its QR code and check the signature. Run by
// tests/integration/paper_browser_test.sh.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from './browser.mjs';

const { URL: base, WORK: work, LETTER: letter, MAKE_LETTER: makeLetter, ARTIFACTS: artifacts } = process.env;
const password = 'Benar-sekali-2026';
const passphrase = 'Frasa-Sandi-Rahasia-2026';
// Share of pixels that differ visibly (by more than a quarter of the grey scale) once
// both images are drawn at the same size: a rendering of the same page stays far
// below MATCH, a different letter far above DIFFERENT.
const MATCH = 0.005;
const DIFFERENT = 0.02;
mkdirSync(artifacts, { recursive: true });

const browser = await launchChromium();
const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

// What pdftoppm draws of one page, and the URL zbarimg reads from it (if asked).
function render(pdf, page, name) {
  const out = join(work, name);
  execFileSync('pdftoppm', ['-r', '150', '-png', '-singlefile', '-f', String(page), '-l', String(page), pdf, out]);
  return `${out}.png`;
}
const qrOf = (png) => execFileSync('zbarimg', ['-q', '--raw', png], { encoding: 'utf8' }).trim();
const dataUrl = (bytes) => `data:image/png;base64,${Buffer.from(bytes).toString('base64')}`;

// Compared in a page of its own (no CSP there): both drawn 400 pixels wide on the
// first one's aspect, grey, and the share of pixels apart by more than 64 counted.
async function difference(context, a, b) {
  const page = await context.newPage();
  const share = await page.evaluate(async ([first, second]) => {
    const load = (src) => new Promise((resolve, reject) => {
      const image = new Image();
      image.onload = () => resolve(image);
      image.onerror = reject;
      image.src = src;
    });
    const [x, y] = await Promise.all([load(first), load(second)]);
    const width = 400;
    const height = Math.round((width * x.naturalHeight) / x.naturalWidth);
    const grey = (image) => {
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const context2d = canvas.getContext('2d');
      context2d.fillStyle = '#fff';
      context2d.fillRect(0, 0, width, height);
      context2d.drawImage(image, 0, 0, width, height);
      const { data } = context2d.getImageData(0, 0, width, height);
      const out = new Float32Array(width * height);
      for (let i = 0; i < out.length; i += 1) out[i] = 0.299 * data[4 * i] + 0.587 * data[4 * i + 1] + 0.114 * data[4 * i + 2];
      return out;
    };
    const [gx, gy] = [grey(x), grey(y)];
    let apart = 0;
    for (let i = 0; i < gx.length; i += 1) if (Math.abs(gx[i] - gy[i]) > 64) apart += 1;
    return apart / gx.length;
  }, [a, b]);
  await page.close();
  return share;
}

async function signInPortal() {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByLabel('NIK (16 digit)').fill('5108010101900002');
  await page.getByLabel('Kata sandi', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.waitForURL(/\/sertifikat$/);
  await page.getByRole('link', { name: 'Tanda tangani dokumen' }).click();
  await page.getByLabel('Berkas PDF').setInputFiles(letter);
  await page.getByLabel(/Judul dokumen/).fill('SK Rektor 7/2026');
  await page.getByLabel('Frasa sandi', { exact: true }).fill(passphrase);
  await page.screenshot({ path: join(artifacts, '01-sign-form.png'), fullPage: true });
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Tanda tangani dan unduh' }).click();
  const signed = join(work, 'signed.pdf');
  await (await download).saveAs(signed);
  await context.close();
  return signed;
}

// Opens the QR code's address on a phone and waits until every preview is drawn.
async function openOnPhone(context, url, name) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  for (let attempt = 0; attempt < 60; attempt += 1) {
    await page.goto(url);
    if (await page.locator('[data-testid=preview-image]').count() === 3) break;
    await page.waitForTimeout(500);  // previews are rendered in the background after signing
  }
  const images = page.locator('[data-testid=preview-image]');
  assert.equal(await images.count(), 3, 'a preview of each of the three pages');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=preview-image]')]
    .every((image) => image.complete && image.naturalWidth > 0));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page fits the phone's width (${overflow} px too wide)`);
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  assert.deepEqual(errors, []);
  return page;
}

try {
  const signed = await signInPortal();
  assert.match(execFileSync('pdfsig', [signed], { encoding: 'utf8' }), /Signature is Valid/);
  const url = qrOf(render(signed, 3, 'paper-3'));
  assert.match(url, /\/v\/[0-9A-Z]{20}$/);

  const visitor = await browser.newContext(phone);
  const page = await openOnPhone(visitor, url, '02-phone-verification');
  assert.equal(await page.getByTestId('document-title').textContent(), 'SK Rektor 7/2026');
  assert.equal(await page.getByTestId('page-count').textContent(), '3');
  assert.match(await page.getByTestId('compare-paper').textContent(), /setiap halaman harus sama/);

  // The download is the registered file, which is the file the signer got.
  const registered = await page.request.get(new URL(await page.getByTestId('download').getAttribute('href'), base).toString());
  assert.equal(registered.status(), 200);
  const registeredPdf = join(work, 'registered.pdf');
  writeFileSync(registeredPdf, await registered.body());
  assert.ok(Buffer.compare(readFileSync(registeredPdf), readFileSync(signed)) === 0, 'the download is byte-identical');

  const previews = [];
  for (let n = 1; n <= 3; n += 1) {
    const response = await page.request.get(`${base}${new URL(url).pathname}/pages/${n}`);
    assert.equal(response.status(), 200);
    previews.push(dataUrl(await response.body()));
  }
  const genuine = dataUrl(readFileSync(render(registeredPdf, 1, 'registered-1')));
  const same = await difference(visitor, previews[0], genuine);
  console.log(`page 1: preview against pdftoppm of the registered file: ${(same * 100).toFixed(3)} % of pixels apart`);
  assert.ok(same < MATCH, `the preview of page 1 matches pdftoppm (${same})`);
  const stampPage = await difference(visitor, previews[2], dataUrl(readFileSync(render(registeredPdf, 3, 'registered-3'))));
  assert.ok(stampPage < MATCH, `the preview of the stamped page matches pdftoppm (${stampPage})`);

  // A forger copies the QR code onto another letter; its reader scans it.
  const forgedPdf = join(work, 'forged.pdf');
  writeFileSync(forgedPdf, execFileSync(makeLetter, ['Surat Keputusan Rektor', '1', '--qr', url]));
  const forgedPaper = render(forgedPdf, 1, 'forged-1');
  assert.equal(qrOf(forgedPaper), url, 'the forged paper carries the genuine QR code');
  const shown = await openOnPhone(visitor, qrOf(forgedPaper), '03-phone-forged-paper');
  assert.equal(await shown.getByTestId('document-title').textContent(), 'SK Rektor 7/2026');
  for (const [index, preview] of previews.entries()) {
    const apart = await difference(visitor, preview, dataUrl(readFileSync(forgedPaper)));
    console.log(`forged paper against the preview of page ${index + 1}: ${(apart * 100).toFixed(3)} % of pixels apart`);
    assert.ok(apart > DIFFERENT, `the forged paper differs visibly from page ${index + 1} (${apart})`);
  }
  await visitor.close();
  console.log('paper proof in the browser passed');
} finally {
  await browser.close();
}
