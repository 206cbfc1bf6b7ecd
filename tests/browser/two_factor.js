// The two-factor step of a staff sign-in, shared by the test files. The files sign in as the
// same demo staff; a code works once, and the server refuses any code at or before the last
// one used, with one step of leeway either side. So when another test used this step's code
// the next step's is typed, and when that is used too, the next step is waited for.

const assert = require('node:assert/strict');
const crypto = require('node:crypto');

/// RFC 6238: HMAC-SHA1 of the 30-second `step` under the secret's bytes, truncated to six
/// digits.
function totp(secretBytes, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = crypto.createHmac('sha1', secretBytes).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const number = (mac.readUInt32BE(offset) & 0x7fffffff) % 1000000;
  return String(number).padStart(6, '0');
}

/// Passes the two-factor page `page` is on, for the account with `secretBytes`, and waits
/// for the dashboard. What the browser logged about a refused code is dropped from
/// `errors`: a code another test used is no fault of the page.
async function passTwoFactor(page, secretBytes, errors = []) {
  for (let attempt = 0; attempt < 4; attempt += 1) {
    const logged = errors.length;
    const step = Math.floor(Date.now() / 30000) + (attempt % 2);
    await page.getByLabel('Code from your authenticator app').fill(totp(secretBytes, step));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForLoadState();
    if (/\/staff$/.test(new URL(page.url()).pathname)) return;
    errors.length = logged;
    if (attempt % 2 === 1) {
      await new Promise((resolve) => setTimeout(resolve, 30500 - (Date.now() % 30000)));
    }
  }
  assert.fail('two-factor could not be passed: every code tried was refused');
}

module.exports = { totp, passTwoFactor };
