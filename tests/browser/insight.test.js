// Place insight in a real headless Chromium at 320 px, with JavaScript off and on: the
// public agency map and the place lead's map, network and impact pages. Every chart is an
// SVG image with a title and a description, and has a data table beside it; every page
// passes axe-core (WCAG 2.2 AA) and fits 320 CSS pixels; the CSV downloads are UTF-8 with
// a header row. Run through ./run.sh, which starts `knit demo` (its demo figures come from
// crates/knit/src/demo/insight.rs).

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
// The demo place lead (crates/knit/src/demo/training.rs): a demo account only.
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

/// Every chart is an image named by its title and described, and a table follows it.
async function checkCharts(page, what) {
  const charts = await page.evaluate(() =>
    [...document.querySelectorAll('svg.chart')].map((svg) => {
      const ids = (svg.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
      const texts = ids.map((id) => document.getElementById(id)?.textContent || '');
      const figure = svg.closest('.chart-and-table') || svg.parentElement;
      return {
        role: svg.getAttribute('role'),
        texts,
        table: !!(figure && (figure.querySelector('table') || figure.nextElementSibling?.querySelector?.('table') || figure.nextElementSibling?.tagName === 'TABLE')),
      };
    }),
  );
  assert.ok(charts.length > 0, `${what}: has charts`);
  for (const c of charts) {
    assert.equal(c.role, 'img', `${what}: a chart is an image`);
    assert.equal(c.texts.length, 2, `${what}: a chart has a title and a description`);
    assert.ok(c.texts.every((t) => t.trim().length > 0), `${what}: its text alternative is not empty`);
    assert.ok(c.table, `${what}: a data table beside the chart`);
  }
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

test('the public agency map has charts with text and tables, and a CSV download', async () => {
  for (const javaScriptEnabled of [false, true]) {
    const visitor = await open({ javaScriptEnabled });
    const { page, context, errors } = visitor;
    try {
      await page.goto(new URL('/insight/map', BASE).href);
      const main = await page.locator('main').innerText();
      assert.match(main, /Who does what where/);
      assert.doesNotMatch(main, /Raised in casework/);
      await checkCharts(page, 'public map');
      await checkPage(visitor, 'public map');
      const csv = await page.request.get(new URL('/insight/map.csv', BASE).href);
      assert.equal(csv.headers()['content-type'], 'text/csv; charset=utf-8');
      const text = await csv.text();
      assert.ok(text.startsWith('kind,need,area,measure,value\r\n'), 'a header row');
      assert.ok(!text.includes('casework'), 'nothing from casework');
      assert.deepEqual(errors, [], 'no script or policy errors');
    } finally {
      await context.close();
    }
  }
});

test('a place lead reads the agency map, the network and the impact report at 320px', async () => {
  const visitor = await open({ javaScriptEnabled: false });
  const { page, context, errors } = visitor;
  try {
    await signInAsLead(page, errors);
    await page.goto(new URL('/staff/insight', BASE).href);
    await checkPage(visitor, 'place insight');
    for (const [path, what, expect] of [
      ['/staff/insight/map', 'staff agency map', /Raised in casework/],
      ['/staff/insight/network', 'network', /Median days to first answer/],
      ['/staff/insight/impact', 'impact report', /People supported/],
    ]) {
      await page.goto(new URL(path, BASE).href);
      assert.match(await page.locator('main').innerText(), expect);
      await checkCharts(page, what);
      await checkPage(visitor, what);
    }
    await page.goto(new URL('/staff/insight/network?exact=1', BASE).href);
    assert.match(await page.locator('main').innerText(), /You are seeing exact figures/);
    assert.deepEqual(errors, [], 'no script or policy errors');
  } finally {
    await context.close();
  }
  const withScripts = await open({ javaScriptEnabled: true });
  try {
    await signInAsLead(withScripts.page, withScripts.errors);
    await withScripts.page.goto(new URL('/staff/insight/map', BASE).href);
    await checkCharts(withScripts.page, 'staff agency map with JavaScript');
    await checkPage(withScripts, 'staff agency map with JavaScript');
  } finally {
    await withScripts.context.close();
  }
});
