/**
 * The booking widget on the business's own website (issue 14): a host page served from another origin
 * (another local port) carries the one-line `<script src=".../embed.js" data-service=…>` snippet; the
 * frame appears with the service preselected, sizes itself, books, and the host page hears of the
 * booking (DOM event `appointflow:booked`). The iframe fallback talks to the host by postMessage.
 */
import { createServer, type Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { accessibilityProblems, launchChromium, screenshot, watchedPage } from '../support/browser';
import { freePort } from '../support/ports';
import { startSystem, type System } from '../support/system';

jest.setTimeout(120_000);

let system: System;
let browser: Browser;
let host: Server;
let hostUrl: string;
const pageProblems: string[] = [];
afterEach(() => {
  expect(pageProblems.splice(0)).toEqual([]);
});

/** The business's website: one page with the script snippet, one with the iframe fallback. */
function hostPages(appointflow: string): Record<string, string> {
  return {
    '/': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Maple Street Studio — home</title></head>
<body><main><h1>Welcome to Maple Street Studio</h1><p>Book online below.</p>
<div id="booking"></div>
<script src="${appointflow}/embed.js" data-service="consultation" data-target="#booking" async></script>
<p id="booked-note" hidden></p>
<script>
  document.addEventListener('appointflow:booked', function (e) {
    var note = document.getElementById('booked-note');
    note.hidden = false;
    note.textContent = 'Host page saw a booking of ' + e.detail.service.name + ' at ' + e.detail.startsAt;
    window.booked = e.detail;
  });
</script></main></body></html>`,
    '/fallback': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fallback</title></head>
<body><main><h1>Book</h1>
<iframe id="frame" title="Book an appointment" src="${appointflow}/embed/book/deep-tissue-massage?lang=es" style="width:100%;border:0;height:300px"></iframe>
<script>
  window.heights = [];
  window.addEventListener('message', function (e) {
    if (e.origin !== '${appointflow}' || !e.data || e.data.type !== 'appointflow:resize') return;
    window.heights.push(e.data.height);
    document.getElementById('frame').style.height = e.data.height + 'px';
  });
</script></main></body></html>`,
  };
}

beforeAll(async () => {
  [system, browser] = await Promise.all([startSystem(), launchChromium()]);
  const pages = hostPages(system.baseUrl);
  host = createServer((req, res) => {
    const page = pages[req.url ?? '/'];
    res.writeHead(page ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' }).end(page ?? 'not found');
  });
  const port = await freePort();
  await new Promise<void>((resolve) => host.listen(port, '127.0.0.1', resolve));
  // "localhost" against the system's 127.0.0.1, on another port: another origin.
  hostUrl = `http://localhost:${port}`;
});
afterAll(async () => {
  host?.closeAllConnections();
  await new Promise((resolve) => host?.close(resolve));
  await browser?.close();
  await system?.stop();
});

it('the script snippet puts the booking flow on another site, sizes it and tells the host page of the booking', async () => {
  const page = await watchedPage(browser, hostUrl, pageProblems, { timezoneId: 'America/New_York' });
  await page.goto('/');
  const frameElement = page.locator('#booking iframe');
  await frameElement.waitFor();
  expect(await frameElement.getAttribute('src')).toBe(`${system.baseUrl}/embed/book/consultation`);
  const frame = page.frameLocator('#booking iframe');
  // The service from data-service is chosen; the frame grows to its content (no inner scroll bar).
  await frame.locator('.summary-row').getByText('Consultation').waitFor();
  const time = frame.locator('button.time').first();
  await time.waitFor();
  const grown = async () => (await frameElement.boundingBox())!.height;
  expect(await grown()).toBeGreaterThan(480);
  await screenshot(page, '65-embed-host-page');
  expect(await accessibilityProblems(page)).toEqual([]);
  const startsAt = (await time.getAttribute('data-starts-at'))!;
  await time.click();
  await frame.getByLabel('Name', { exact: true }).fill('Wren Widget');
  await frame.getByLabel('Email').fill('wren.widget@example.com');
  await frame.getByRole('button', { name: /^Book for/ }).click();
  await frame.getByRole('heading', { name: "You're booked" }).waitFor();
  await page.locator('#booked-note').getByText('Host page saw a booking of Consultation').waitFor();
  const booked = await page.evaluate<{ startsAt: string; id: string; staff: { name: string } }>('window.booked');
  expect(booked.startsAt).toBe(new Date(startsAt).toISOString());
  // Only what was booked: never the manage link, which is a credential.
  expect(JSON.stringify(booked)).not.toContain('/manage/');
  const row = await system.database.db
    .selectFrom('appointments')
    .select(['id', 'source'])
    .where('id', '=', booked.id)
    .executeTakeFirstOrThrow();
  expect(row.source).toBe('web');
  // The manage link opens outside the frame.
  expect(await frame.getByRole('link', { name: 'View, reschedule or cancel' }).getAttribute('target')).toBe('_blank');
  await screenshot(page, '66-embed-booked');
});

it('the embedded page may be framed by other sites, the others may not; the iframe fallback reports its size', async () => {
  const embedded = await fetch(`${system.baseUrl}/embed/book/consultation`);
  expect(embedded.headers.get('content-security-policy')).toContain('frame-ancestors *');
  expect(embedded.headers.get('x-frame-options')).toBeNull();
  const regular = await fetch(`${system.baseUrl}/book/consultation`);
  expect(regular.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  const script = await fetch(`${system.baseUrl}/embed.js`);
  expect(script.headers.get('content-type')).toContain('javascript');

  const page = await watchedPage(browser, hostUrl, pageProblems, { mobile: true, timezoneId: 'Europe/Madrid' });
  await page.goto('/fallback');
  const frame = page.frameLocator('#frame');
  await frame.getByRole('heading', { name: 'Reservar una cita' }).waitFor();
  await frame.locator('button.time').first().waitFor();
  const heights = await page.waitForFunction<number[]>('window.heights.length > 0 && window.heights');
  expect(Math.max(...(await heights.jsonValue()))).toBeGreaterThan(300);
  await screenshot(page, '67-embed-fallback-spanish-phone');
});
