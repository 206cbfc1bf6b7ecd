// Local Connectors in a real headless Chromium: a connector logs a conversation on a 320 px
// phone, with JavaScript off and on, and passes someone to a coordinator; a resident reads
// about becoming a connector and books training. Every page is checked with axe-core
// against WCAG 2.2 AA and must fit 320 CSS pixels.
//
// Run through ./run.sh, which starts `knit demo`; the demo connector's sign-in is printed by
// `knit demo` and set in crates/knit/src/demo/training.rs. It exists in the demo only.

'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const { chromium } = require('playwright-core');

const BASE = process.env.KNIT_BASE_URL;
if (!BASE) {
  throw new Error('KNIT_BASE_URL is not set: run tests/browser/run.sh, which starts knit demo');
}
const ORIGIN = new URL(BASE).origin;
const NARROW = { width: 320, height: 720 };
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core'), 'utf8');
const AXE_URL = `${ORIGIN}/__browser-tests__/axe.min.js`;
const DEMO_CONNECTOR = {
  email: process.env.KNIT_DEMO_CONNECTOR_EMAIL || 'connector@kestleford.example',
  password: process.env.KNIT_DEMO_CONNECTOR_PASSWORD || 'kestleford demo connector',
};

// The demo place lead (crates/knit/src/demo/training.rs), with the raw bytes of their
// two-factor secret: a demo account only.
const DEMO_LEAD = {
  email: 'lead@kestleford.example',
  password: 'kestleford demo lead',
  secret: Buffer.from('kestleford-demo-lead'),
};

/// An RFC 6238 code: HMAC-SHA1, 30-second steps, 6 digits, as an authenticator app makes.
function totp(secret, at = Date.now()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const hash = crypto.createHmac('sha1', secret).update(counter).digest();
  const offset = hash[hash.length - 1] & 0xf;
  const value = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
  return String(value % 1_000_000).padStart(6, '0');
}

let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
});

after(async () => {
  await browser?.close();
});

function serveAxe(route) {
  return route.fulfill({ status: 200, contentType: 'text/javascript', body: AXE_SOURCE });
}

async function open({ javaScriptEnabled }) {
  const context = await browser.newContext({ javaScriptEnabled, viewport: NARROW });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url === AXE_URL) return serveAxe(route);
    if (new URL(url).origin === ORIGIN) return route.continue();
    return route.abort();
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return { context, page, errors, javaScriptEnabled };
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

/// axe cannot run where scripts are off: the page as served is reloaded, scripts removed,
/// into a scripted page at the same address.
async function axeWithoutScripts(url, html) {
  const context = await browser.newContext({ viewport: NARROW });
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

/// No accessibility violations, and nothing wider than the 320 px screen.
async function checkPage(visitor, what) {
  const { page } = visitor;
  let violations;
  if (visitor.javaScriptEnabled) {
    await page.addScriptTag({ url: AXE_URL });
    violations = await axeViolations(page);
  } else {
    violations = await axeWithoutScripts(page.url(), await page.content());
  }
  assert.deepEqual(violations, [], `${what}: axe (WCAG 2.2 AA) finds problems`);
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= NARROW.width, `${what}: ${scrollWidth}px wide at 320px`);
}

async function signIn(page) {
  await page.goto(new URL('/staff/sign-in', BASE).href);
  await page.getByLabel('Email address').fill(DEMO_CONNECTOR.email);
  await page.getByLabel('Password').fill(DEMO_CONNECTOR.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/staff$/);
}

for (const javaScriptEnabled of [false, true]) {
  const mode = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';

  test(`a connector logs a conversation on a 320px phone, ${mode}`, async () => {
    const visitor = await open({ javaScriptEnabled });
    const { page, context, errors } = visitor;
    try {
      await signIn(page);
      await page.getByRole('link', { name: 'I had a conversation' }).click();
      await page.waitForURL(/\/staff\/conversations$/);
      assert.match(await page.locator('main').innerText(), /No names or personal details/);
      await checkPage(visitor, 'the phone page');

      // A mistake comes back beside its field, with what was ticked still ticked.
      await page.getByLabel('Food support').check();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.waitForLoadState();
      assert.match(await page.locator('.error-summary').innerText(), /roughly where/i);
      assert.ok(await page.getByLabel('Food support').isChecked(), 'the need stays ticked');
      await checkPage(visitor, 'the phone page with a mistake');

      await page.getByLabel('Roughly where').fill('Northfield');
      await page.getByLabel('Listened').check();
      await page.getByLabel('Gave a postcard').check();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.waitForURL(/\/staff\/conversations\?saved$/);
      assert.match(await page.getByRole('status').innerText(), /Saved/);
      await checkPage(visitor, 'the phone page after saving');

      await page.getByRole('link', { name: 'pass them to a coordinator' }).click();
      await page.waitForURL(/\/staff\/hand-off$/);
      await checkPage(visitor, 'the hand-off form');
      await page.getByRole('link', { name: 'Back to my conversations' }).click();
      await page.getByRole('link', { name: 'My postcards' }).click();
      await page.waitForURL(/\/staff\/postcards$/);
      assert.equal(await page.locator('.postcard svg').count(), 4, 'four postcards on the sheet');
      await checkPage(visitor, 'the postcard sheet');
      await page.goto(new URL('/staff/my-figures', BASE).href);
      assert.match(await page.locator('main').innerText(), /conversations in all/);
      await checkPage(visitor, 'my figures');
      // The mistake was answered 422 on purpose; nothing else may complain.
      assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), [], 'no script or policy errors');
    } finally {
      await context.close();
    }
  });
}

test('a resident reads about connectors and finds training to book, on a 320px phone', async () => {
  const visitor = await open({ javaScriptEnabled: true });
  const { page, context, errors } = visitor;
  try {
    await page.goto(new URL('/become-a-connector', BASE).href);
    assert.match(await page.locator('main').innerText(), /What a connector doesn't do/);
    await checkPage(visitor, 'become a connector');
    await page.getByRole('button', { name: 'Sign up and choose a training session' }).click();
    await page.waitForLoadState();
    assert.ok(await page.locator('.error-summary').isVisible(), 'a clear message when empty');
    await checkPage(visitor, 'the sign-up form with mistakes');
    await page.goto(new URL('/training', BASE).href);
    await checkPage(visitor, 'training sessions');
    await page.getByRole('link', { name: 'Local Connector training' }).first().click();
    await page.waitForURL(/\/training\/[0-9a-f-]{36}$/);
    await checkPage(visitor, 'a training session');
    assert.deepEqual(await context.cookies(), [], 'the public pages set no cookie');
    // The form sent empty was answered 422 on purpose; nothing else may complain.
    assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), []);
  } finally {
    await context.close();
  }
});

test('a place lead takes the register on a 320px phone, without JavaScript', async () => {
  const resident = await open({ javaScriptEnabled: false });
  const lead = await open({ javaScriptEnabled: false });
  try {
    // Someone books the demo's connector training from the public page.
    const { page: rp } = resident;
    await rp.goto(new URL('/training', BASE).href);
    await rp.getByRole('link', { name: 'Local Connector training' }).first().click();
    await rp.waitForURL(/\/training\/[0-9a-f-]{36}$/);
    const sessionId = rp.url().split('/').pop();
    await rp.getByLabel('Your name').fill('Reg Visitor');
    await rp.getByLabel('Email address').fill('reg.visitor@example.org');
    await rp.getByRole('button', { name: 'Book a place' }).click();
    await rp.waitForLoadState();
    assert.match(await rp.locator('main').innerText(), /You are booked/);
    await checkPage(resident, 'booked');

    const { page } = lead;
    await page.goto(new URL('/staff/sign-in', BASE).href);
    await page.getByLabel('Email address').fill(DEMO_LEAD.email);
    await page.getByLabel('Password').fill(DEMO_LEAD.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/staff\/two-factor$/);
    // A code works once: if another test used this step's code, the next step's is taken.
    for (const ahead of [0, 1, 2]) {
      await page.getByLabel('Code from your authenticator app').fill(totp(DEMO_LEAD.secret, Date.now() + ahead * 30000));
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForLoadState();
      if (/\/staff$/.test(page.url())) break;
    }
    await page.waitForURL(/\/staff$/);
    await page.getByRole('link', { name: 'Training', exact: true }).click();
    await page.waitForURL(/\/staff\/training$/);
    await checkPage(lead, 'training for place leads');
    await page.goto(new URL(`/staff/training/${sessionId}`, BASE).href);
    await checkPage(lead, 'the register');
    await page.getByRole('button', { name: /^Present\b.*Reg Visitor/ }).click();
    await page.waitForURL(new RegExp(`/staff/training/${sessionId}$`));
    assert.match(await page.locator('main').innerText(), /connector account set up/);
    await checkPage(lead, 'the register after marking someone present');
  } finally {
    await resident.context.close();
    await lead.context.close();
  }
});
