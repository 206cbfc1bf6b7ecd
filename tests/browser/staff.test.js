// Staff pages in a real headless Chromium: the demo staff (crates/knit/src/demo/staff.rs)
// sign in with password and a TOTP code computed here (RFC 6238), on a desktop viewport.
// Every page visited is checked with axe-core against WCAG 2.2 AA; no request leaves Knit.
//
// Run through ./run.sh, which starts `knit demo` and sets KNIT_BASE_URL.

'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { chromium } = require('playwright-core');
const { passTwoFactor, totp } = require('./two_factor');

const BASE = process.env.KNIT_BASE_URL;
if (!BASE) {
  throw new Error('KNIT_BASE_URL is not set: run tests/browser/run.sh, which starts knit demo');
}
const ORIGIN = new URL(BASE).origin;
const DESKTOP = { width: 1024, height: 768 };
const NARROW = { width: 320, height: 720 };
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core'), 'utf8');
const AXE_URL = `${ORIGIN}/__browser-tests__/axe.min.js`;

// The demo staff accounts (README.md, "Demo staff accounts"): they exist only in the demo.
const PASSWORD = 'kestleford demo staff';
const STAFF = {
  lead: { email: 'lead@demo.kestleford.example', secret: 'NNXGS5BNMRSW23ZNOBWGCY3FFVWGKYLE' },
  coordinator: { email: 'coordinator@demo.kestleford.example', secret: 'NNXGS5BNMRSW23ZNMNXW64TENFXGC5DF' },
  foodbank: { email: 'foodbank@demo.kestleford.example', secret: 'NNXGS5BNMRSW23ZNMZXW6ZBNMJQW42ZO' },
  harbour: { email: 'harbour@demo.kestleford.example', secret: 'NNXGS5BNMRSW23ZNNBQXEYTPOVZC2ZDB' },
  advice: { email: 'advice@demo.kestleford.example', secret: 'NNXGS5BNMRSW23ZNMFSHM2LDMUWWG5DS' },
  minds: { email: 'minds@demo.kestleford.example', secret: 'NNXGS5BNMRSW23ZNNVUW4ZDNMF2HIZLS' },
};

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of text.replace(/=+$/, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  await browser?.close();
});

function serveAxe(route) {
  return route.fulfill({ status: 200, contentType: 'text/javascript', body: AXE_SOURCE });
}

/// A browser context that reaches only Knit; requests to other hosts are recorded, refused.
async function open({ javaScriptEnabled = true, viewport = DESKTOP } = {}) {
  const context = await browser.newContext({ javaScriptEnabled, viewport });
  const foreign = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url === AXE_URL) return serveAxe(route);
    if (new URL(url).origin === ORIGIN) return route.continue();
    if (/^https?:/.test(url)) foreign.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  return { context, page, foreign, errors, javaScriptEnabled, viewport };
}

async function axeViolations(page) {
  const results = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }),
    WCAG_TAGS,
  );
  return results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/// axe cannot run where scripts are off, so the page as served is reloaded, scripts
/// removed, into a scripted page at the same address.
async function axeWithoutScripts(url, html, viewport) {
  const context = await browser.newContext({ viewport });
  try {
    await context.route('**/*', (route) => {
      const request = route.request();
      if (request.url() === AXE_URL) return serveAxe(route);
      if (request.url() === url && request.resourceType() === 'document') {
        const body = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '');
        return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body });
      }
      if (new URL(request.url()).origin === ORIGIN) return route.continue();
      return route.abort();
    });
    const page = await context.newPage();
    await page.goto(url);
    await page.addScriptTag({ url: AXE_URL });
    return await axeViolations(page);
  } finally {
    await context.close();
  }
}

async function checkPage(visitor, what) {
  const { page } = visitor;
  let violations;
  if (visitor.javaScriptEnabled) {
    await page.addScriptTag({ url: AXE_URL });
    violations = await axeViolations(page);
  } else {
    violations = await axeWithoutScripts(page.url(), await page.content(), visitor.viewport);
  }
  assert.deepEqual(violations, [], `${what}: axe (WCAG 2.2 AA) finds problems`);
}

async function signIn(visitor, who, { check = false } = {}) {
  const { page } = visitor;
  await page.goto(new URL('/staff/sign-in', BASE).href);
  if (check) await checkPage(visitor, 'sign-in');
  await page.getByLabel('Email address').fill(who.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/staff\/two-factor$/);
  if (check) await checkPage(visitor, 'two-factor');
  await passTwoFactor(page, base32Decode(who.secret), visitor.errors);
  if (check) await checkPage(visitor, 'staff dashboard');
}

test('TOTP codes match RFC 6238 test vectors', () => {
  // RFC 6238 appendix B, SHA-1, secret "12345678901234567890": 59 s gives 94287082 (8 digits).
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  assert.equal(totp(base32Decode(secret), 1), '287082');
  assert.equal(totp(base32Decode(secret), 37037036), '081804');
});

test('a wrong two-factor code is refused with a clear message', async () => {
  const visitor = await open();
  const { page, context } = visitor;
  try {
    await page.goto(new URL('/staff/sign-in', BASE).href);
    await page.getByLabel('Email address').fill(STAFF.minds.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/staff\/two-factor$/);
    const right = totp(base32Decode(STAFF.minds.secret), Math.floor(Date.now() / 30000));
    const wrong = String((Number(right) + 500000) % 1000000).padStart(6, '0');
    await page.getByLabel('Code from your authenticator app').fill(wrong);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForLoadState();
    assert.match(await page.locator('main').innerText(), /That code is not right, or has expired/);
    assert.ok(!/\/staff$/.test(page.url()), 'not signed in');
    await checkPage(visitor, 'two-factor with a wrong code');
    assert.deepEqual(visitor.foreign, []);
  } finally {
    await context.close();
  }
});

test('issue 3: food bank staff propose a listing change, the place lead approves it', async () => {
  const description = `Food parcels for three days, no referral needed (checked ${Date.now()}).`;
  const partner = await open();
  let serviceUrl;
  try {
    const { page } = partner;
    await signIn(partner, STAFF.foodbank, { check: true });
    await page.getByRole('link', { name: 'Your listings' }).click();
    await page.waitForURL(/\/staff\/listings$/);
    await checkPage(partner, 'your listings');
    const edit = page.locator('a[href$="/edit"]').first();
    const href = await edit.getAttribute('href');
    serviceUrl = href.replace(/^\/staff\/listings\//, '/services/').replace(/\/edit$/, '');
    await edit.click();
    await page.waitForURL(/\/edit$/);
    await checkPage(partner, 'the edit form');
    await page.getByLabel('Description').fill(description);
    const confirm = page.getByLabel('Confirm these details are still right');
    if (await confirm.count()) await confirm.check();
    await page.getByRole('button', { name: 'Send for approval' }).click();
    await page.waitForLoadState();
    await checkPage(partner, 'after sending for approval');
    assert.deepEqual(partner.foreign, []);
    assert.deepEqual(partner.errors, []);
  } finally {
    await partner.context.close();
  }

  const lead = await open();
  try {
    const { page } = lead;
    await signIn(lead, STAFF.lead, { check: true });
    await page.getByRole('link', { name: 'Listing changes' }).click();
    await page.waitForURL(/\/staff\/listing-changes$/);
    await checkPage(lead, 'listing changes');
    await page.locator('a[href^="/staff/listing-changes/"]').first().click();
    await page.waitForURL(/\/staff\/listing-changes\/[^/]+$/);
    assert.match(await page.locator('main').innerText(), /three days/);
    await checkPage(lead, 'the change page');
    await page.getByRole('button', { name: 'Approve as proposed' }).click();
    await page.waitForLoadState();
    await checkPage(lead, 'after approving');

    // The public page shows the new description (the engine takes in writes within seconds).
    let shown = '';
    for (let i = 0; i < 20 && !shown.includes(description); i++) {
      await page.goto(new URL(serviceUrl, BASE).href);
      shown = await page.locator('main').innerText();
      if (!shown.includes(description)) await page.waitForTimeout(500);
    }
    assert.ok(shown.includes(description), 'the service page shows the approved description');
    await checkPage(lead, 'the public service page');
    assert.deepEqual(lead.foreign, []);
    assert.deepEqual(lead.errors, []);
  } finally {
    await lead.context.close();
  }
});

const MARY_WORDS = "My ex keeps turning up, the bailiffs are at the door and I can't sleep";

test("issue 4: Mary asks for a call back without JavaScript; the coordinator has the conversation", async () => {
  const mary = await open({ javaScriptEnabled: false, viewport: NARROW });
  try {
    const { page } = mary;
    await page.goto(new URL('/call-back', BASE).href);
    assert.match(await page.locator('main').innerText(), /How is it safe to get in touch\?/);
    await checkPage(mary, 'the call-back form');
    await page.getByLabel('Your name').fill('Mary Whitlock');
    await page.getByLabel('Phone', { exact: true }).fill('07700 900461');
    await page.getByLabel('Phone calls').check();
    await page.getByLabel('Text messages').check();
    await page.getByLabel('A code word (optional)').fill('bluebell');
    await page.getByLabel('A few words about what is going on').fill(MARY_WORDS);
    await page.getByLabel('I agree that a coordinator keeps these details and contacts me').check();
    await page.getByRole('button', { name: 'Ask for a call back' }).click();
    await page.waitForLoadState();
    const thanks = await page.locator('main').innerText();
    assert.match(thanks, /we will be in touch/);
    assert.match(thanks, /call 999/, 'crisis contacts on the thank-you page');
    await checkPage(mary, 'the thank-you page');
    assert.deepEqual(mary.foreign, []);
  } finally {
    await mary.context.close();
  }

  const ravi = await open();
  try {
    const { page } = ravi;
    await signIn(ravi, STAFF.coordinator);
    await checkPage(ravi, "the coordinator's staff page");
    await page.getByRole('link', { name: 'Requests for help' }).click();
    await page.waitForURL(/\/staff\/intakes$/);
    const queue = await page.locator('main').innerText();
    assert.match(queue, /Mary Whitlock/);
    assert.match(queue, /Do not leave messages/);
    await checkPage(ravi, 'requests for help');
    await page.getByRole('button', { name: 'Open a case for Mary Whitlock' }).first().click();
    await page.waitForURL(/\/staff\/people\/[^/]+$/);
    const record = await page.locator('main').innerText();
    assert.match(record, /Do not leave messages/);
    assert.match(record, /bluebell/);
    await checkPage(ravi, "Mary's page");

    await page.getByRole('link', { name: /Have the conversation/ }).click();
    await page.waitForURL(/\/conversation$/);
    await checkPage(ravi, 'the conversation');
    await page.getByLabel('What is going on, in their words').fill(MARY_WORDS);
    await page.getByRole('button', { name: 'Suggest needs' }).click();
    await page.waitForLoadState();
    assert.match(await page.locator('main').innerText(), /we picked up/);
    await checkPage(ravi, 'the conversation with suggested needs');
    await page.getByLabel('What matters to them').fill('Keeping the children safe and at their school');
    await page.locator('#priority_domestic-abuse').selectOption('urgent');
    await page.locator('#priority_debt').selectOption('soon');
    await page.locator('#priority_mental-health').selectOption('soon');
    await page.getByRole('button', { name: 'Save the conversation' }).click();
    await page.waitForURL(/\/staff\/people\/[^/]+$/);
    const saved = await page.locator('main').innerText();
    assert.match(saved, /Urgent/);
    await checkPage(ravi, "Mary's page after the conversation");
    const personUrl = page.url();

    // Referrals to three organisations, one per need, each with her agreement.
    const refer = async (org, need, needCode) => {
      await page.goto(personUrl);
      await page.getByRole('link', { name: 'Refer to a service' }).click();
      await page.waitForURL(/\/refer$/);
      assert.match(await page.locator('main').innerText(), /These contact rules travel with the referral/);
      await checkPage(ravi, `refer to a service for ${need}`);
      let choice = page.getByLabel(new RegExp(`\\(${org}\\) — for ${need}`)).first();
      if (org === null || (await choice.count()) === 0) {
        assert.equal(org, null, `a service of ${org} is offered for ${need}`);
        choice = page.getByLabel(new RegExp(`\\((?!Kestleford Advice Centre)[^)]*\\) — for ${need}`)).first();
      }
      assert.ok((await choice.count()) > 0, `a service is offered for ${need}`);
      await choice.check();
      await page.locator('#share-contact').check();
      await page.locator(`#need-${needCode}`).check();
      await page.getByLabel('Message to the organisation').fill('Mary would like a call on a weekday morning');
      await page.getByLabel(/agreed that we share this/).check();
      await page.getByLabel('For what, in a few words').fill('support');
      await page.getByRole('button', { name: 'Send the referral' }).click();
      await page.waitForURL(/\/staff\/people\/[^/]+$/);
      await checkPage(ravi, `Mary's page after referring for ${need}`);
    };
    await refer('Harbour Domestic Abuse Service', 'Domestic abuse', 'domestic-abuse');
    await refer('Kestleford Advice Centre', 'Debt advice', 'debt');
    await refer(null, 'Mental health', 'mental-health');
    assert.deepEqual(ravi.foreign, []);
    assert.deepEqual(ravi.errors, []);

    // The debt advice organisation turns it down: no capacity.
    const debt = await open();
    try {
      const p = debt.page;
      await signIn(debt, STAFF.advice);
      await p.getByRole('link', { name: 'Referrals to your organisation' }).click();
      await p.waitForURL(/\/staff\/inbox$/);
      await checkPage(debt, 'referrals to your organisation');
      await p.locator('a[href^="/staff/referrals/"]').first().click();
      await p.waitForURL(/\/staff\/referrals\/[^/]+$/);
      assert.match(await p.locator('main').innerText(), /Do not leave messages/);
      await checkPage(debt, 'the referral');
      await p.getByLabel('Turn it down because').selectOption({ label: 'No capacity at the moment' });
      await p.getByLabel('A note for the referrer').fill('Full until March');
      await p.getByRole('button', { name: 'Turn it down' }).click();
      await p.waitForLoadState();
      await checkPage(debt, 'the referral turned down');
      assert.deepEqual(debt.foreign, []);
    } finally {
      await debt.context.close();
    }

    // The coordinator refers her to another debt service.
    await refer(null, 'Debt advice', 'debt');

    // The domestic abuse service accepts, starts and records the outcome.
    const harbour = await open();
    try {
      const p = harbour.page;
      await signIn(harbour, STAFF.harbour);
      await p.getByRole('link', { name: 'Referrals to your organisation' }).click();
      await p.waitForURL(/\/staff\/inbox$/);
      await checkPage(harbour, "the domestic abuse service's referrals");
      await p.locator('a[href^="/staff/referrals/"]').first().click();
      await p.waitForURL(/\/staff\/referrals\/[^/]+$/);
      const referral = p.url();
      await checkPage(harbour, 'the domestic abuse referral');
      await p.getByRole('button', { name: 'Accept', exact: true }).click();
      await p.waitForLoadState();
      await p.goto(referral);
      await checkPage(harbour, 'the referral accepted');
      await p.getByRole('button', { name: 'Start working with them' }).click();
      await p.waitForLoadState();
      await p.goto(referral);
      await checkPage(harbour, 'the referral started');
      await p.locator('input[name="result"]').first().check();
      await p.getByLabel('What happened').fill('Safety plan in place');
      await p.getByRole('button', { name: 'Record the outcome' }).click();
      await p.waitForLoadState();
      await checkPage(harbour, 'the referral completed');
      assert.deepEqual(harbour.foreign, []);
    } finally {
      await harbour.context.close();
    }

    // A "Go with them" step, done; SWEMWBS at start and at end; the case closed.
    await page.goto(personUrl);
    await page.locator('details.add-form summary').first().click();
    await page.getByLabel('Go with them').check();
    await page.getByLabel('What', { exact: true }).fill('Go with Mary to the advice centre');
    await page.getByRole('button', { name: 'Add the step' }).click();
    await page.waitForURL(/\/staff\/people\/[^/]+$/);
    await checkPage(ravi, "Mary's page with a step");
    await page.getByRole('button', { name: /^Mark done/ }).first().click();
    await page.waitForURL(/\/staff\/people\/[^/]+$/);
    await checkPage(ravi, "Mary's page with the step done");
    for (const [stage, answer] of [['first', '2'], ['last', '4']]) {
      await page.goto(personUrl);
      await page.getByRole('link', { name: 'Measure wellbeing' }).click();
      await page.waitForURL(/\/wellbeing$/);
      await checkPage(ravi, `wellbeing at the ${stage}`);
      await page.locator('input[name="stage"]')[stage]().check();
      await page.getByLabel(/^SWEMWBS/).check();
      const answers = page.locator('form input[type="text"]:visible');
      const n = await answers.count();
      assert.ok(n >= 7, `seven SWEMWBS answers (${n} fields)`);
      for (let i = 0; i < 7; i++) await answers.nth(i).fill(answer);
      await page.getByRole('button', { name: 'Save the answers' }).click();
      await page.waitForURL(/\/staff\/people\/[^/]+$/);
    }
    await page.getByRole('link', { name: 'Close the case' }).click();
    await page.waitForURL(/\/close$/);
    await checkPage(ravi, 'close the case');
    for (const fieldset of await page.locator('form fieldset').all()) {
      await fieldset.locator('input[type="radio"]').first().check();
    }
    await page.getByRole('button', { name: 'Close the case' }).click();
    await page.waitForURL(/\/staff\/people\/[^/]+$/);
    const closed = await page.locator('main').innerText();
    assert.match(closed, /Case closed/);
    assert.match(closed, /Wellbeing score rose/);
    await checkPage(ravi, "Mary's closed case");
  } finally {
    await ravi.context.close();
  }
});
