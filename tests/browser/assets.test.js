// Community assets and groups in a real headless Chromium at 320 px, with JavaScript off
// and on: a resident browses the asset register, finds the hall free on a Thursday evening
// and asks for it (a past date first, which is refused with what was typed kept); a group's
// public page; and the demo place lead approves a booking request on a staff page. Every
// page is checked with axe-core against WCAG 2.2 AA and must fit 320 CSS pixels.
//
// Run through ./run.sh, which starts `knit demo` (crates/knit/src/demo/assets.rs seeds the
// hall, its waiting request and a published group).

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


/// Signs in as the demo lead; `errors` is the visitor's, for `passTwoFactor`.
async function signInAsLead(page, errors = []) {
  await page.goto(new URL('/staff/sign-in', BASE).href);
  await page.getByLabel('Email address').fill(DEMO_LEAD.email);
  await page.getByLabel('Password').fill(DEMO_LEAD.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/staff\/two-factor$/);
  await passTwoFactor(page, DEMO_LEAD.secret, errors);
}

/// The Thursday `weeks` weeks after the coming one, as YYYY-MM-DD.
function thursday(weeks) {
  const day = new Date();
  day.setUTCDate(day.getUTCDate() + 1);
  while (day.getUTCDay() !== 4) day.setUTCDate(day.getUTCDate() + 1);
  day.setUTCDate(day.getUTCDate() + 7 * weeks);
  return day.toISOString().slice(0, 10);
}

for (const javaScriptEnabled of [false, true]) {
  const mode = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';

  test(`a resident finds a hall free on a Thursday evening and asks for it, ${mode}`, async () => {
    const visitor = await open({ javaScriptEnabled });
    const { page, context, errors } = visitor;
    try {
      await page.goto(new URL('/assets', BASE).href);
      await checkPage(visitor, 'the asset browse');
      await page.getByLabel('What you need').selectOption('space');
      await page.getByLabel('Step-free and accessible').check();
      await page.getByLabel('Date').fill(thursday(javaScriptEnabled ? 3 : 2));
      await page.getByLabel('From', { exact: true }).fill('19:00');
      await page.getByLabel('To', { exact: true }).fill('21:00');
      await page.getByRole('button', { name: 'Show' }).click();
      await page.waitForURL(/\/assets\?/);
      await checkPage(visitor, 'the asset browse, filtered');
      await page.getByRole('link', { name: 'Fairleigh Park community hall' }).click();
      await page.waitForURL(/\/assets\/[0-9a-f-]{36}$/);
      assert.match(await page.locator('main').innerText(), /Thursdays, 18:00 to 22:00/);
      await checkPage(visitor, 'the hall');

      // A date gone by: refused, with what was typed kept.
      await page.getByLabel('Your name').fill('Kelly Browser');
      await page.getByLabel('Phone number').fill('07700 900321');
      await page.getByLabel('What it is for').fill('A social evening');
      await page.getByLabel('How many people').fill('12');
      await page.getByLabel('Date').fill('2020-01-02');
      await page.getByLabel('From', { exact: true }).fill('19:00');
      await page.getByLabel('To', { exact: true }).fill('21:00');
      await page.getByRole('button', { name: 'Send the request' }).click();
      await page.waitForLoadState();
      assert.match(await page.locator('.error-summary').innerText(), /already passed/);
      assert.equal(await page.getByLabel('Your name').inputValue(), 'Kelly Browser');
      await checkPage(visitor, 'the request with a mistake');

      await page.getByLabel('Date').fill(thursday(javaScriptEnabled ? 3 : 2));
      await page.getByRole('button', { name: 'Send the request' }).click();
      await page.waitForLoadState();
      assert.match(await page.locator('main').innerText(), /Your request has been sent/);
      await checkPage(visitor, 'the request sent');
      assert.deepEqual(await context.cookies(), [], 'the public pages set no cookie');
      assert.deepEqual(errors.filter((e) => !/status of 409/.test(e)), [], 'no script errors');
    } finally {
      await context.close();
    }
  });

  test(`a group's page and the start-a-group form, ${mode}`, async () => {
    const visitor = await open({ javaScriptEnabled });
    const { page, context, errors } = visitor;
    try {
      await page.goto(new URL('/start-a-group', BASE).href);
      await checkPage(visitor, 'start a group');
      await page.getByRole('button', { name: 'Send my idea' }).click();
      await page.waitForLoadState();
      assert.ok(await page.locator('.error-summary').isVisible(), 'a clear message when empty');
      await checkPage(visitor, 'start a group with a mistake');
      await page.getByRole('link', { name: 'Fairleigh Friendship Walkers' }).click();
      await page.waitForURL(/\/groups\/[0-9a-f-]{36}$/);
      assert.match(await page.locator('main').innerText(), /We need volunteers/);
      await checkPage(visitor, 'the group page');
      assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), []);
    } finally {
      await context.close();
    }
  });
}

test('the place lead approves a booking request on a 320px phone, without JavaScript', async () => {
  const lead = await open({ javaScriptEnabled: false });
  try {
    const { page } = lead;
    await signInAsLead(page, lead.errors);
    await page.goto(new URL('/staff/assets', BASE).href);
    await checkPage(lead, 'assets for staff');
    await page.getByRole('link', { name: /Fairleigh Park community hall: / }).first().click();
    await page.waitForURL(/\/staff\/asset-bookings\/[0-9a-f-]{36}$/);
    assert.match(await page.locator('main').innerText(), /Waiting for an answer/);
    await checkPage(lead, 'a booking request');
    await page.getByLabel('Decline', { exact: true }).check();
    await page.getByRole('button', { name: 'Send the answer' }).click();
    await page.waitForLoadState();
    assert.match(await page.locator('.error-summary').innerText(), /Say why/);
    await checkPage(lead, 'a decline without a reason');
    await page.getByLabel('Approve', { exact: true }).check();
    await page.getByRole('button', { name: 'Send the answer' }).click();
    await page.waitForURL(/\/staff\/asset-bookings\/[0-9a-f-]{36}$/);
    assert.match(await page.locator('main').innerText(), /Approved/);
    await checkPage(lead, 'the approved request');
  } finally {
    await lead.context.close();
  }
});
