import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** A report page opened from disk in headless Chromium, with what it asked of the network and the errors it raised. */
export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Every URL the page requested; anything but file: and data: was refused. */
  requests: string[];
  /** Script errors and console errors. */
  pageErrors: string[];
}

/**
 * Debian's Chromium, headless, with its profile in `profile` (a folder the caller removes). It runs
 * as root in CI, hence no sandbox. Closing the context ends every process it started.
 */
export function launchChromium(profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: false,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1440, height: 1000 },
  });
}

/** Opens a self-contained HTML file in headless Chromium (profile in `work`), refusing and remembering any network request. */
export async function openInChromium(file: string, work: string): Promise<OpenedPage> {
  const context = await launchChromium(join(work, 'chromium-profile'));
  const requests: string[] = [];
  const pageErrors: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    requests.push(url);
    return /^(file|data):/.test(url) ? route.continue() : route.abort();
  });
  const page = context.pages()[0] ?? await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
  await page.goto(pathToFileURL(file).href);
  return { context, page, requests, pageErrors };
}
