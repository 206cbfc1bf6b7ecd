// Volunteering and what's on in a real headless Chromium, on a 320 px phone with
// JavaScript off and on: the home page invites people to help; a resident searches for a
// volunteer role near a postcode, reads it, puts right a mistake and says she's interested
// without an account; she says what she is good at and sees what fits; she finds a
// volunteer match evening and books a place; and she finds what's on this week, a hub and
// an activity. Every page is checked with axe-core against WCAG 2.2 AA and must fit 320
// CSS pixels.
//
// Run through ./run.sh, which starts `knit demo` (its roles, hubs and activities are in
// crates/knit/src/demo/volunteering.rs).

'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
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

for (const javaScriptEnabled of [false, true]) {
  const mode = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';

  test(`the home page invites people to help, ${mode}`, async () => {
    const visitor = await open({ javaScriptEnabled });
    const { page, context, errors } = visitor;
    try {
      await page.goto(new URL('/', BASE).href);
      await checkPage(visitor, 'the home page');
      for (const [name, path] of [
        ['Volunteer', /\/volunteer$/],
        ['Become a Local Connector', /\/become-a-connector$/],
        ["What's on", /\/whats-on$/],
      ]) {
        await page.goto(new URL('/', BASE).href);
        await page.getByRole('link', { name, exact: true }).click();
        await page.waitForURL(path);
      }
      assert.deepEqual(errors, [], 'no script or policy errors');
    } finally {
      await context.close();
    }
  });

  test(`a resident finds a role and says she's interested, ${mode}`, async () => {
    const visitor = await open({ javaScriptEnabled });
    const { page, context, errors } = visitor;
    try {
      await page.goto(new URL('/volunteer', BASE).href);
      await checkPage(visitor, 'volunteer roles');
      await page.getByLabel('What would you like to do?').fill('driver');
      await page.getByLabel('Postcode or town (optional)').fill('KF1 1AA');
      await page.getByRole('button', { name: 'Find roles' }).click();
      await page.waitForURL(/\/volunteer\?/);
      assert.match(await page.locator('main').innerText(), /Van driver/);
      await checkPage(visitor, 'roles near a postcode');
      await page.getByRole('link', { name: 'Van driver' }).click();
      await page.waitForURL(/\/volunteer\/[0-9a-f-]{36}$/);
      assert.match(await page.locator('main').innerText(), /DBS check/);
      await checkPage(visitor, 'a role');

      // Without the box ticked, the mistake comes back with what she typed.
      await page.getByLabel('Your name').fill('Rita Browser');
      await page.getByLabel('Email address or phone number').fill('rita.browser@example.org');
      await page.getByRole('button', { name: 'Send' }).click();
      await page.waitForLoadState();
      assert.match(await page.locator('.error-summary').innerText(), /Tick the box/);
      assert.equal(await page.getByLabel('Your name').inputValue(), 'Rita Browser');
      await checkPage(visitor, 'the offer with a mistake');
      await page.getByLabel(/may contact me about this role/).check();
      await page.getByRole('button', { name: 'Send' }).click();
      await page.waitForLoadState();
      assert.match(await page.locator('main').innerText(), /Thank you for offering to help/);
      await checkPage(visitor, 'the offer sent');
      assert.deepEqual(await context.cookies(), [], 'the public pages set no cookie');
      assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), [], 'no script or policy errors');
    } finally {
      await context.close();
    }
  });

  test(`a resident says what she is good at and sees what fits, ${mode}`, async () => {
    const visitor = await open({ javaScriptEnabled });
    const { page, context, errors } = visitor;
    try {
      await page.goto(new URL('/volunteer', BASE).href);
      await page.getByRole('link', { name: /Tell us what you're good at/ }).click();
      await page.waitForURL(/\/volunteer\/strengths$/);
      await checkPage(visitor, 'what could you give');
      await page.getByRole('button', { name: 'Suggest roles and groups' }).click();
      await page.waitForLoadState();
      assert.match(await page.locator('.error-summary').innerText(), /at least one thing/);
      await checkPage(visitor, 'what could you give, with a mistake');
      await page.getByLabel("What are you good at?").fill('driving, gardening');
      await page.getByLabel('Postcode or town (optional)').fill('KF1 1AA');
      await page.getByRole('button', { name: 'Suggest roles and groups' }).click();
      await page.waitForLoadState();
      assert.match(await page.locator('main').innerText(), /Van driver/);
      await checkPage(visitor, 'what fits');
      assert.deepEqual(await context.cookies(), [], 'the public pages set no cookie');
      assert.deepEqual(errors.filter((e) => !/status of 400/.test(e)), [], 'no script or policy errors');
    } finally {
      await context.close();
    }
  });

  test(`a resident finds a volunteer match evening and books a place, ${mode}`, async () => {
    const visitor = await open({ javaScriptEnabled });
    const { page, context, errors } = visitor;
    try {
      await page.goto(new URL('/volunteer', BASE).href);
      await page.getByRole('link', { name: /at a volunteer match event/ }).click();
      await page.waitForURL(/\/volunteer\/events$/);
      assert.match(await page.locator('main').innerText(), /Kestle Valley Food Bank/);
      await checkPage(visitor, 'match events');
      await page.getByRole('link', { name: 'Volunteer match evening' }).click();
      await page.waitForURL(/\/training\/[0-9a-f-]{36}$/);
      assert.match(await page.locator('main').innerText(), /Northfield Community Garden/);
      await checkPage(visitor, 'a match event');
      // A mistake comes back with what she typed; then she books.
      await page.getByLabel('Email address').fill(`mo.${mode.replace(/ /g, '-')}@example.org`);
      await page.getByRole('button', { name: 'Book a place' }).click();
      await page.waitForLoadState();
      assert.match(await page.locator('.error-summary, .error-message').first().innerText(), /Enter your name/);
      await checkPage(visitor, 'the booking with a mistake');
      await page.getByLabel('Your name').fill('Mo Browser');
      await page.getByRole('button', { name: 'Book a place' }).click();
      await page.waitForLoadState();
      assert.match(await page.locator('main').innerText(), /You are booked/);
      await checkPage(visitor, 'the match event booked');
      assert.deepEqual(await context.cookies(), [], 'the public pages set no cookie');
      assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), [], 'no script or policy errors');
    } finally {
      await context.close();
    }
  });

  test(`a resident finds what's on this week, ${mode}`, async () => {
    const visitor = await open({ javaScriptEnabled });
    const { page, context, errors } = visitor;
    try {
      await page.goto(new URL('/whats-on', BASE).href);
      assert.match(await page.locator('main').innerText(), /What's on this week/);
      await checkPage(visitor, "what's on");
      await page.getByRole('link', { name: 'Kestleford Library hub' }).click();
      await page.waitForURL(/\/hubs\/[0-9a-f-]{36}$/);
      assert.match(await page.locator('main').innerText(), /Knit and natter/);
      await checkPage(visitor, 'a hub');
      await page.getByRole('link', { name: "Carers' coffee morning" }).first().click();
      await page.waitForURL(/\/activities\/[0-9a-f-]{36}$/);
      assert.match(await page.locator('main').innerText(), /second Monday of each month/);
      await checkPage(visitor, 'an activity');
      // Its calendar link carries the repeat rule.
      const link = await page.getByRole('link', { name: 'Add to your calendar' }).getAttribute('href');
      const ics = await (await fetch(new URL(link, BASE))).text();
      assert.match(ics, /RRULE:FREQ=MONTHLY;BYDAY=2MO/);
      assert.deepEqual(errors, [], 'no script or policy errors');
    } finally {
      await context.close();
    }
  });
}
