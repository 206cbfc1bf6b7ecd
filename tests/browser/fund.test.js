// The local fund in a real headless Chromium at 320 px, JavaScript on and off: the public
// application page (a draft saved and come back to by its link, then sent) and the staff
// panel and decision pages, as the demo place lead. Every page is checked with axe-core
// against WCAG 2.2 AA; no request leaves Knit.
//
// Run through ./run.sh, which starts `knit demo` and sets KNIT_BASE_URL.

'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { chromium } = require('playwright-core');
const { passTwoFactor } = require('./two_factor');

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

const ROUND = 'Kestleford Community Fund: small grants';

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'JavaScript on' : 'JavaScript off';

  test(`a group applies on a phone, saves a draft and sends it by its link (${mode})`, async () => {
    const visitor = await open({ javaScriptEnabled, viewport: NARROW });
    const { page, context, foreign, errors } = visitor;
    try {
      await page.goto(new URL('/fund', BASE).href);
      await checkPage(visitor, 'fund rounds');
      await page.getByRole('link', { name: ROUND }).click();
      await page.waitForURL(/\/fund\/[0-9a-f-]{36}$/);
      await checkPage(visitor, 'fund application form');
      await page.getByLabel('A group without a constitution').check();
      await page.getByLabel('How much are you asking for').fill('9000');
      await page.getByLabel("The group's name").fill(`Browser group ${mode}`);
      await page.getByLabel('Your name').fill('Bea Browser');
      await page.getByLabel('Email address').fill('bea@example.org');
      await page.getByLabel('What is the money for?').fill('Tea and a hall for a weekly chat.');
      await page.getByRole('button', { name: 'Send my application' }).click();
      await page.waitForLoadState();
      // Outside the band: said plainly, with everything typed kept.
      await assert.doesNotReject(page.getByText('Ask for between £100 and £5,000').first().waitFor());
      assert.equal(await page.getByLabel('How much are you asking for').inputValue(), '9000');
      assert.equal(await page.getByLabel("The group's name").inputValue(), `Browser group ${mode}`);
      await checkPage(visitor, 'fund application with a mistake');
      await page.getByLabel('How much are you asking for').fill('400');
      await page.getByRole('button', { name: 'Save and come back later' }).click();
      await page.waitForURL(/\/fund\/applications\/[0-9a-f]{64}\?saved=1$/);
      await assert.doesNotReject(page.getByText('Your draft is saved').waitFor());
      await checkPage(visitor, 'saved draft');
      const link = await page.getByLabel('Your link to this application').inputValue();
      // Coming back by the link later, in a fresh page.
      await page.goto(link.replace(/^https?:\/\/[^/]+/, ORIGIN));
      assert.equal(await page.getByLabel('Your name').inputValue(), 'Bea Browser');
      await page.getByLabel('Who will it help').fill('About a dozen neighbours.');
      await page.getByLabel('How will you spend it?').fill('Hall £300, tea £100.');
      await page.getByRole('button', { name: 'Send my application' }).click();
      await page.waitForURL(/\?sent=1$/);
      await assert.doesNotReject(page.getByText('Waiting for a decision').waitFor());
      await checkPage(visitor, 'sent application');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= NARROW.width, `no sideways scrolling at 320 px (${width})`);
      assert.deepEqual(foreign, []);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

test('the place lead sees the panel ranking and decides, at 320 px with JavaScript on and off', async () => {
  for (const javaScriptEnabled of [true, false]) {
    const visitor = await open({ javaScriptEnabled, viewport: NARROW });
    const { page, context, foreign, errors } = visitor;
    try {
      await signIn(visitor, STAFF.lead);
      await page.goto(new URL('/staff/fund', BASE).href);
      await checkPage(visitor, 'staff fund rounds');
      await page.getByRole('link', { name: ROUND }).click();
      await page.waitForURL(/\/staff\/fund\/[0-9a-f-]{36}$/);
      await checkPage(visitor, 'panel ranking');
      await page.getByRole('link', { name: 'Kestle Valley Litter Pickers' }).click();
      await page.waitForURL(/\/staff\/fund\/applications\//);
      await checkPage(visitor, 'application with decision form');
      if (!javaScriptEnabled) {
        // A decision without reasons is refused beside its field, what was typed kept.
        await page.getByLabel('Award', { exact: true }).check();
        await page.getByLabel('Amount awarded').fill('1500');
        await page.getByRole('button', { name: 'Record the decision' }).click();
        await page.waitForLoadState();
        await assert.doesNotReject(page.getByText('Give the reasons for the decision').first().waitFor());
        assert.equal(await page.getByLabel('Amount awarded').inputValue(), '1500');
        await checkPage(visitor, 'decision with a mistake');
        await page.getByLabel('Reasons, as the applicant will read them').fill('Clear need, well costed.');
        await page.getByRole('button', { name: 'Record the decision' }).click();
        await page.waitForLoadState();
        await assert.doesNotReject(page.getByText('Awarded £1,500').first().waitFor());
        await checkPage(visitor, 'awarded application');
      }
      assert.deepEqual(foreign, []);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});
