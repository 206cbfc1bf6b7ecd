// Knit's public pages in a real headless Chromium, the way a resident uses them: on a small
// phone, with and without JavaScript. Every page is checked with axe-core against WCAG 2.2 AA,
// must fit 320 CSS pixels, offer "Exit this page", set no cookies (but the language a visitor
// chooses) and call no other host.
//
// Run through ./run.sh, which starts `knit demo` and sets KNIT_BASE_URL.

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
const EXIT_TARGET = 'https://www.bbc.co.uk/weather';
const NARROW = { width: 320, height: 720 };
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core'), 'utf8');
// axe is served as if from Knit itself, so the site's strict Content-Security-Policy
// (script-src 'self') can stay on while it is injected.
const AXE_URL = `${ORIGIN}/__browser-tests__/axe.min.js`;
// The demo town hall's postcode (crates/knit/tests/it/support.rs: DEMO_POSTCODE).
const DEMO_POSTCODE = process.env.KNIT_DEMO_POSTCODE || 'KF1 1AA';
const DAY_NAME = /Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|every day|weekday/i;

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

/// A resident's browser: a narrow phone screen, JavaScript on or off. Requests to any other
/// host are recorded and never reach the network; the exit target answers locally.
async function openVisitor({ javaScriptEnabled, viewport = NARROW }) {
  const context = await browser.newContext({ javaScriptEnabled, viewport });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url === AXE_URL) return serveAxe(route);
    if (new URL(url).origin === ORIGIN) return route.continue();
    if (url.startsWith(EXIT_TARGET)) {
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Weather</title>' });
    }
    return route.abort();
  });
  const page = await context.newPage();
  const foreign = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    const web = url.protocol === 'http:' || url.protocol === 'https:';
    if (web && url.origin !== ORIGIN && !request.url().startsWith(EXIT_TARGET)) {
      foreign.push(request.url());
    }
  });
  // Script errors and blocked resources (a Content-Security-Policy refusal, say) show up here.
  const consoleErrors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
  return { context, page, foreign, consoleErrors, javaScriptEnabled };
}

function serveAxe(route) {
  return route.fulfill({ status: 200, contentType: 'text/javascript', body: AXE_SOURCE });
}

async function visit(visitor, path) {
  const response = await visitor.page.goto(new URL(path, BASE).href);
  assert.ok(response, `no response for ${path}`);
  return response;
}

/// The accessibility violations axe finds on the page, as readable lines.
async function axeViolations(page) {
  const results = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }),
    WCAG_TAGS,
  );
  return results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/// axe cannot run in a page whose scripts are disabled, so the page as served without
/// JavaScript is reloaded, scripts removed, into a scripted page at the same address.
async function axeViolationsWithoutScripts(url, html) {
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

/// What every page owes a resident: no accessibility violations, no sideways scrolling at
/// 320 px, and a way to leave quickly.
async function checkPage(visitor, what, { exitName = 'Exit this page' } = {}) {
  const { page } = visitor;
  let violations;
  if (visitor.javaScriptEnabled) {
    await page.addScriptTag({ url: AXE_URL });
    violations = await axeViolations(page);
  } else {
    violations = await axeViolationsWithoutScripts(page.url(), await page.content());
  }
  assert.deepEqual(violations, [], `${what}: axe (WCAG 2.2 AA) finds problems`);
  const { width } = page.viewportSize();
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= width, `${what}: ${scrollWidth}px wide, so it scrolls sideways at ${width}px`);
  const exit = page.getByRole('link', { name: exitName });
  assert.equal(await exit.count(), 1, `${what}: one "${exitName}" link`);
  assert.equal(await exit.getAttribute('href'), EXIT_TARGET, `${what}: exit goes to the weather`);
  assert.ok(await exit.isVisible(), `${what}: the exit link is visible`);
}

async function resultCount(page) {
  return page.locator('ol.results > li').count();
}

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';

  test(`a resident finds free food help and reports a problem, ${mode}`, async () => {
    const visitor = await openVisitor({ javaScriptEnabled });
    const { page, context } = visitor;
    try {
      const home = await visit(visitor, '/');
      assert.equal(home.status(), 200);
      await assert.doesNotReject(page.getByRole('heading', { level: 1 }).waitFor());
      assert.ok(await page.getByRole('heading', { name: 'Browse by need' }).isVisible());
      const needLinks = page.locator('a[href^="/search?need="]');
      assert.ok((await needLinks.count()) >= 10, 'the home page links to the needs to browse');
      await checkPage(visitor, 'home');

      await page.getByLabel('What do you need help with?').fill('food');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.waitForURL(/\/search\?/);
      assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /\d/);
      assert.ok((await resultCount(page)) > 0, 'a search for food finds something');
      assert.match(await page.locator('ol.results > li').first().innerText(), /Why this result/);
      const facts = await page.locator('ol.results > li').allInnerTexts();
      assert.ok(facts.some((t) => /Next open/.test(t)), 'results say when they next open');
      await checkPage(visitor, 'results for food');

      await page.getByLabel('Free only').check();
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForURL(/[?&]free=1/);
      assert.ok(await page.getByLabel('Free only').isChecked(), 'the filter stays ticked');
      assert.ok((await resultCount(page)) > 0, 'some food help is free');
      await checkPage(visitor, 'free results for food');

      const first = page.locator('ol.results > li').first().getByRole('heading', { level: 2 }).getByRole('link');
      const name = (await first.innerText()).trim();
      await first.click();
      await page.waitForURL(/\/services\/[0-9a-f-]{36}$/);
      assert.equal((await page.getByRole('heading', { level: 1 }).innerText()).trim(), name);
      const text = await page.locator('main').innerText();
      assert.match(text, /Last checked/);
      assert.match(text, DAY_NAME, 'opening times are written out in words');
      assert.ok((await page.locator('a[href*="openstreetmap.org"]').count()) >= 1, 'directions link');
      assert.equal(await page.locator('iframe').count(), 0, 'no embedded map');
      await checkPage(visitor, `service page of ${name}`);

      await page.getByText('Report a problem with this page').click();
      await page.getByLabel('What is wrong?').fill('The opening times on this page are out of date.');
      await page.getByRole('button', { name: 'Send report' }).click();
      await page.waitForURL(/\/report/);
      assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /thank/i);
      await checkPage(visitor, 'thank-you page');

      assert.deepEqual(await context.cookies(), [], 'no cookies are set');
      assert.deepEqual(visitor.foreign, [], 'no request goes to another host');
      assert.deepEqual(visitor.consoleErrors, [], 'no script errors or blocked resources');
    } finally {
      await context.close();
    }
  });

  test(`a resident reads the site in Welsh from home to a call back, ${mode}`, async () => {
    const visitor = await openVisitor({ javaScriptEnabled });
    const { page, context } = visitor;
    const welsh = { exitName: 'Gadael y dudalen hon' };
    try {
      await visit(visitor, '/');
      await page.getByRole('link', { name: 'Cymraeg' }).click();
      await page.waitForURL(/lang=cy/);
      assert.equal(await page.locator('html').getAttribute('lang'), 'cy');
      assert.equal(
        (await page.getByRole('heading', { level: 1 }).innerText()).trim(),
        'Dod o hyd i help yn agos atoch chi',
      );
      await checkPage(visitor, 'home in Welsh', welsh);

      await page.getByLabel('Gyda beth mae angen help arnoch chi?').fill('food');
      await page.getByRole('button', { name: 'Chwilio', exact: true }).click();
      await page.waitForURL(/\/search\?/);
      assert.equal(await page.locator('html').getAttribute('lang'), 'cy', 'the choice is kept');
      assert.ok((await resultCount(page)) > 0, 'a search for food finds something');
      assert.match(await page.locator('main').innerText(), /Hidlo'r canlyniadau/);
      await checkPage(visitor, 'results in Welsh', welsh);

      const first = page.locator('ol.results > li').first().getByRole('heading', { level: 2 }).getByRole('link');
      assert.equal(await first.getAttribute('lang'), 'en-GB', "a service's name keeps its language");
      await first.click();
      await page.waitForURL(/\/services\/[0-9a-f-]{36}$/);
      const text = await page.locator('main').innerText();
      assert.match(text, /Gwiriwyd ddiwethaf/);
      assert.match(text, /Pryd mae ar agor/);
      await checkPage(visitor, 'service page in Welsh', welsh);

      await visit(visitor, '/call-back');
      await page.getByLabel('Eich enw').fill('Gwen');
      await page.getByLabel('Ffôn', { exact: true }).fill('07700 900123');
      await page.getByLabel('Galwadau ffôn').check();
      await page.getByLabel("Rwy'n cytuno bod cydlynydd yn cadw'r manylion hyn ac yn cysylltu â mi").check();
      await checkPage(visitor, 'call-back form in Welsh', welsh);
      await page.getByRole('button', { name: 'Gofyn am alwad yn ôl' }).click();
      await page.waitForURL(/\/call-back$/);
      assert.equal(
        (await page.getByRole('heading', { level: 1 }).innerText()).trim(),
        'Diolch: byddwn mewn cysylltiad',
      );
      await checkPage(visitor, 'call-back sent in Welsh', welsh);

      const cookies = await context.cookies();
      assert.deepEqual(
        cookies.map((c) => [c.name, c.value, c.expires]),
        [['knit_lang', 'cy', -1]],
        'one cookie, naming only the language, gone when the browser closes',
      );
      assert.deepEqual(visitor.foreign, [], 'no request goes to another host');
      assert.deepEqual(visitor.consoleErrors, [], 'no script errors or blocked resources');
    } finally {
      await context.close();
    }
  });

  test(`an unknown postcode gets a clear message, ${mode}`, async () => {
    const visitor = await openVisitor({ javaScriptEnabled });
    try {
      const response = await visit(visitor, '/search?q=food&near=ZZ99+9ZZ');
      assert.ok(response.status() < 500, `status ${response.status()}`);
      const alert = visitor.page.getByRole('alert');
      assert.ok(await alert.isVisible(), 'the problem is announced');
      assert.ok((await alert.innerText()).trim().length > 0);
      await checkPage(visitor, 'results for an unknown postcode');
      assert.deepEqual(visitor.foreign, []);
    } finally {
      await visitor.context.close();
    }
  });

  test(`"Exit this page" leaves for the weather, ${mode}`, async () => {
    const visitor = await openVisitor({ javaScriptEnabled });
    const { page } = visitor;
    try {
      await visit(visitor, '/');
      await visit(visitor, '/search?q=food');
      const left = page.url();
      await page.getByRole('link', { name: 'Exit this page' }).click();
      await page.waitForURL(EXIT_TARGET);
      if (javaScriptEnabled) {
        // The script replaces the history entry, so Back cannot reveal what was being read.
        await page.goBack();
        assert.notEqual(page.url(), left, 'Back returns to the page that was left');
      }
    } finally {
      await visitor.context.close();
    }
  });
}

test('a results page and a service page print without the exit link or forms', async () => {
  const visitor = await openVisitor({ javaScriptEnabled: true });
  const { page } = visitor;
  try {
    await visit(visitor, '/search?q=food');
    const serviceHref = await page.locator('ol.results > li h2 a').first().getAttribute('href');
    for (const path of ['/search?q=food', serviceHref]) {
      await visit(visitor, path);
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('.exit-page').isVisible(), false, `${path}: exit link printed`);
      const forms = page.locator('form');
      for (let i = 0; i < (await forms.count()); i += 1) {
        assert.equal(await forms.nth(i).isVisible(), false, `${path}: form ${i} printed`);
      }
      assert.ok(await page.getByRole('heading', { level: 1 }).isVisible(), `${path}: heading printed`);
      await page.emulateMedia({ media: 'screen' });
    }
  } finally {
    await visitor.context.close();
  }
});

test('results come in pages that link to each other', async () => {
  const visitor = await openVisitor({ javaScriptEnabled: false });
  const { page } = visitor;
  try {
    // Browsing a whole need domain is the broadest listing the contract offers.
    await visit(visitor, '/');
    const needs = page.locator('a[href^="/search?need="]');
    let paged = false;
    for (let i = 0; i < (await needs.count()) && !paged; i += 1) {
      await visit(visitor, await needs.nth(i).getAttribute('href'));
      paged = (await page.getByRole('link', { name: 'Next page' }).count()) > 0;
      if (!paged) await visit(visitor, '/');
    }
    assert.ok(paged, 'no need listing reaches a second page; the demo town should have one');
    const firstPage = await page.locator('ol.results > li h2 a').allInnerTexts();
    await page.getByRole('link', { name: 'Next page' }).click();
    await page.waitForURL(/[?&]page=2/);
    const secondPage = await page.locator('ol.results > li h2 a').allInnerTexts();
    assert.ok(secondPage.length > 0);
    assert.deepEqual(secondPage.filter((n) => firstPage.includes(n)), [], 'pages do not repeat');
    await checkPage(visitor, 'second page of results');
    await page.getByRole('link', { name: 'Previous page' }).click();
    assert.deepEqual(await page.locator('ol.results > li h2 a').allInnerTexts(), firstPage);
  } finally {
    await visitor.context.close();
  }
});

test('the accessibility check itself finds the faults of a broken page', async () => {
  // A page made to fail: an image without alternative text, an unlabelled field, no language.
  const broken = '<!doctype html><html><head><title>Broken</title></head><body><main>'
    + '<img src="/nothing.png"><input type="text"></main></body></html>';
  const url = `${ORIGIN}/__browser-tests__/broken`;
  const withoutScripts = await axeViolationsWithoutScripts(url, broken);
  for (const rule of ['image-alt', 'label', 'html-has-lang']) {
    assert.ok(withoutScripts.some((v) => v.startsWith(rule)), `${rule} not found: ${withoutScripts}`);
  }
  const visitor = await openVisitor({ javaScriptEnabled: true });
  try {
    await visitor.page.route(url, (route) => route.fulfill({ contentType: 'text/html', body: broken }));
    await visitor.page.goto(url);
    await visitor.page.addScriptTag({ url: AXE_URL });
    const withScripts = await axeViolations(visitor.page);
    assert.ok(withScripts.some((v) => v.startsWith('image-alt')), `image-alt not found: ${withScripts}`);
  } finally {
    await visitor.context.close();
  }
});

test('pressing Escape twice leaves for the weather, with JavaScript', async () => {
  const visitor = await openVisitor({ javaScriptEnabled: true });
  const { page } = visitor;
  try {
    await visit(visitor, '/search?q=food');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.waitForURL(EXIT_TARGET);
  } finally {
    await visitor.context.close();
  }
});

test('the pages are accessible on a desktop screen too', async () => {
  const visitor = await openVisitor({ javaScriptEnabled: true, viewport: { width: 1280, height: 900 } });
  const { page } = visitor;
  try {
    await visit(visitor, '/');
    await checkPage(visitor, 'home at 1280px');
    await visit(visitor, '/search?q=food&free=1');
    await checkPage(visitor, 'results at 1280px');
    await page.locator('ol.results > li h2 a').first().click();
    await page.waitForURL(/\/services\//);
    await checkPage(visitor, 'service page at 1280px');
    assert.deepEqual(visitor.consoleErrors, []);
  } finally {
    await visitor.context.close();
  }
});

test('searching near a postcode says how far away places are', async () => {
  const visitor = await openVisitor({ javaScriptEnabled: false });
  const { page } = visitor;
  try {
    await visit(visitor, '/');
    await page.getByLabel('What do you need help with?').fill('food');
    await page.getByLabel('Postcode or town (optional)').fill(DEMO_POSTCODE);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/[?&]near=/);
    const results = page.locator('ol.results > li');
    assert.ok((await results.count()) > 0, `nothing found near ${DEMO_POSTCODE}`);
    // Services that come to you (home delivery, phone lines) have no place to measure to.
    const distances = (await results.allInnerTexts()).filter((text) =>
      /\d(\.\d+)? (miles?|km|m|metres|yards) away/.test(text));
    assert.ok(distances.length > 0, 'results with a place say how far away it is');
    assert.equal(await page.getByRole('alert').count(), 0, 'a known postcode raises no alarm');
    await checkPage(visitor, `results near ${DEMO_POSTCODE}`);
  } finally {
    await visitor.context.close();
  }
});

test('the filters are labelled and narrow the results, without JavaScript', async () => {
  const visitor = await openVisitor({ javaScriptEnabled: false });
  const { page } = visitor;
  try {
    await visit(visitor, '/search?q=food');
    const before = await resultCount(page);
    assert.equal(await page.getByLabel('Age', { exact: true }).getAttribute('type'), 'number');
    assert.equal(await page.getByLabel('Open now').getAttribute('type'), 'checkbox');
    const delivered = await page.getByLabel("How it's delivered").locator('option').allInnerTexts();
    assert.ok(delivered.length >= 4, `delivery choices: ${delivered}`);
    await page.getByLabel('How to get help').selectOption({ label: 'Drop in' });
    await page.getByLabel('Day', { exact: true }).selectOption({ label: 'Tuesday' });
    await page.getByLabel('Age', { exact: true }).fill('30');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/way_in=drop-in/);
    const query = new URL(page.url()).searchParams;
    assert.equal(query.get('day'), 'tue');
    assert.equal(query.get('age'), '30');
    assert.equal(await page.getByLabel('How to get help').inputValue(), 'drop-in', 'the choice stays');
    const after = await resultCount(page);
    assert.ok(after <= before, `filtering grew the results from ${before} to ${after}`);
    for (const text of await page.locator('ol.results > li').allInnerTexts()) {
      assert.match(text, /Drop in/, 'each result is a drop-in');
    }
    await checkPage(visitor, 'drop-in results on Tuesday for age 30');
  } finally {
    await visitor.context.close();
  }
});
