/**
 * Headless Chromium for the browser tests: Debian's `chromium` (installed by .ci/run) driven by
 * playwright-core, with the launch flags that work on these machines. Screenshots of each main screen
 * go to test-artifacts/screenshots/ (gitignored).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { DEMO_ADMIN } from '../../src/db/seed';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('Chromium is not installed: run `apt-get install -y chromium` (.ci/run does).');
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_FLAGS });
}

/**
 * A page in a fresh context (US English; a desktop window, or a phone) against `baseUrl`. Script
 * errors and Content-Security-Policy refusals go to `problems`, which each test file asserts empty
 * ("Failed to load resource" lines are the expected 4xx answers the pages show in words).
 */
export async function watchedPage(
  browser: Browser,
  baseUrl: string,
  problems: string[],
  options: { timezoneId: string; mobile?: boolean; /** desktop window width (1360 unless told) */ width?: number },
): Promise<Page> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    timezoneId: options.timezoneId,
    locale: 'en-US',
    ...(options.mobile
      ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }
      : { viewport: { width: options.width ?? 1360, height: 900 } }),
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      problems.push(`console: ${message.text()}`);
    }
  });
  return page;
}

/** Signs in to the admin app (the demo admin unless told) and waits for the calendar. */
export async function signInToAdmin(page: Page, account: { email: string; password: string } = DEMO_ADMIN) {
  await page.goto('/admin');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Calendar' }).waitFor();
}

export const SCREENSHOT_DIR = resolve(__dirname, '../../test-artifacts/screenshots');

export async function screenshot(page: Page, name: string): Promise<string> {
  if (!existsSync(SCREENSHOT_DIR)) mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

interface AxeResult {
  violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }>;
}

/**
 * WCAG 2 A/AA problems axe-core finds on the page (labels, contrast, names, landmarks…), as
 * "rule: help (selectors)" lines; an empty list means none.
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  if (!(await page.evaluate<boolean>('typeof window.axe !== "undefined"'))) {
    // Evaluated through the DevTools protocol, so the page's Content-Security-Policy does not block it.
    await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  }
  const result = await page.evaluate<AxeResult>(
    `window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })`,
  );
  return result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`,
  );
}
