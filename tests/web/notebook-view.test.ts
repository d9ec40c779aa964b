import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { schema } from '../../graphql/yoga.js';
import { launchBrowser, type TestBrowser } from './browser.js';
import { startWebStack, type WebStack } from './web-stack.js';

const mutations = schema.getMutationType()?.getFields() ?? {};
const HAS_APPROVE = 'approveDeployment' in mutations;

const BROKEN = `---
name: web-growth
description: Purchases by segment for the spring campaign.
params:
  min_sessions: { type: int, default: 20, min: 1, max: 1000, description: smallest segment }
  segment: { type: enum, values: [new, returning], default: returning }
---
# Spring segments

Who buys after browsing. <img src="x" onerror="window.__pwned = 1">

\`\`\`cell ingest id=sessions
source: { csv: "data/sample/shoppers.csv" }
pii: [customer_id, email]
\`\`\`

\`\`\`cell wait id=warmup needs=[nope]
ms: 1500
\`\`\`

\`\`\`cell echo id=pick needs=[sessions]
value: "\${params.segment}"
\`\`\`

\`\`\`cell chart id=bars needs=[pick]
bars: { direct: 12, search: 30, social: 7 }
\`\`\`
`;
const FIXED = BROKEN.replace('needs=[nope]', 'needs=[sessions]');
const BROKEN_LINE = BROKEN.split('\n').findIndex((l) => l.includes('needs=[nope]')) + 1;

describe('web notebook view in a real browser', () => {
  let web: WebStack;
  let browser: TestBrowser;
  let runUrl = '';

  beforeAll(async () => {
    [web, browser] = await Promise.all([startWebStack(), launchBrowser(1280, 900)]);
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  test('sign-in explains a missing or expired token, then accepts a valid one', async () => {
    const { page } = browser;
    await page.goto(`${web.origin}/`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Paste your API token first');
    await page.getByLabel('API token').fill('not a token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('does not look like a Loom API token');
    await page.getByLabel('API token').fill(web.tokens.expired);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/not accepted.*unknown, expired or revoked/);
    await browser.screenshot('sign-in-error-1280');
    await page.getByLabel('API token').fill(web.tokens.launcher);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Notebooks' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('loom.token'))).toBe(web.tokens.launcher);
  });

  test('a save with an error shows it at its line; the fixed notebook saves and renders as a document', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'New notebook' }).click();
    await page.getByLabel('Notebook source (Markdown)').fill(BROKEN);
    await page.getByRole('button', { name: 'Save notebook' }).click();
    const problems = page.locator('.issues');
    await problems.waitFor();
    expect(await problems.textContent()).toContain(`Line ${BROKEN_LINE}`);
    expect(await problems.textContent()).toContain('"nope"');
    const marked = page.locator('.gutter .has-issue');
    expect(await marked.count()).toBe(1);
    expect(await marked.getAttribute('data-line')).toBe(String(BROKEN_LINE));
    await browser.screenshot('editor-issue-1280');

    await page.getByLabel('Notebook source (Markdown)').fill(FIXED);
    await page.getByRole('button', { name: 'Save notebook' }).click();
    await page.getByRole('heading', { name: /web-growth/ }).waitFor();
    expect(await page.locator('.prose h1').first().textContent()).toBe('Spring segments');
    expect(await page.locator('.cell-source').count()).toBe(4);
    // Prose HTML is sanitised: the inline handler never ran.
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await browser.screenshot('notebook-1280');
  });

  test('the launch form checks bounds before submitting, then launches; cells turn green live', async () => {
    const { page } = browser;
    await page.getByLabel(/min_sessions/).fill('5000');
    await page.getByRole('button', { name: 'Launch run' }).click();
    await expect.poll(() => page.locator('#param-min_sessions-help').textContent()).toBe('min_sessions must be at most 1000.');
    expect(page.url()).not.toContain('/runs/');
    await page.getByLabel(/min_sessions/).fill('40');
    await page.getByLabel(/segment/).selectOption('new');
    await page.getByRole('button', { name: 'Launch run' }).click();
    await page.waitForURL(/\/runs\/run-/);
    runUrl = page.url();

    // Live: the wait cell is seen running with heartbeat progress, then every cell succeeds — no reload.
    await page.locator('[data-cell="warmup"][data-cell-status="running"] .progress').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-cell="warmup"] .progress').textContent()).toMatch(/waitedMs \d/);
    await page.locator('.run .badge[data-status="succeeded"]').first().waitFor({ timeout: 40_000 });
    await expect.poll(() => page.locator('[data-cell-status="succeeded"]').count(), { timeout: 20_000 }).toBe(4);
    expect(await page.locator('[data-cell="pick"]').textContent()).toContain('value: new');

    // The ingest cell's HTML tables render inside script-less sandboxed frames.
    const frames = page.locator('[data-cell="sessions"] iframe.html-frame');
    expect(await frames.count()).toBeGreaterThan(0);
    for (const f of await frames.all()) expect(await f.getAttribute('sandbox')).toBe('allow-same-origin');
    await page.frameLocator('[data-cell="sessions"] iframe.html-frame >> nth=1').locator('table').first().waitFor();

    // The chart output is drawn by vega-embed: one bar per value.
    await page.locator('[data-cell="bars"] .vega svg.marks').waitFor();
    expect(await page.locator('[data-cell="bars"] .vega svg.marks g.mark-rect path').count()).toBe(3);
    await browser.screenshot('run-1280');
    await page.setViewportSize({ width: 768, height: 1000 });
    await browser.screenshot('run-768');
    await page.goto(`${web.origin}/notebooks/web-growth`);
    await page.getByRole('heading', { name: 'Launch a run' }).waitFor();
    await browser.screenshot('notebook-768');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test('a viewer sees runs but launch controls are disabled and say which role is needed', async () => {
    const viewer = await browser.context.newPage();
    try {
      await viewer.goto(`${web.origin}/notebooks/web-growth`);
      await viewer.getByLabel('API token').fill(web.tokens.viewer);
      await viewer.getByRole('button', { name: 'Sign in' }).click();
      const launch = viewer.getByRole('button', { name: 'Launch run' });
      await launch.waitFor();
      expect(await launch.getAttribute('aria-disabled')).toBe('true');
      expect(await launch.getAttribute('title')).toContain('Needs the launcher role');
      await launch.focus();
      expect(await viewer.getByRole('tooltip').textContent()).toContain('viewer role');
      await viewer.goto(runUrl);
      await viewer.locator('[data-cell-status="succeeded"]').first().waitFor();
      expect(await viewer.getByRole('button', { name: 'Cancel run' }).count()).toBe(0);
    } finally {
      await viewer.close();
    }
  });

  test('a revoked session is sent back to sign-in with the reason', async () => {
    const { page } = browser;
    await page.evaluate(() => sessionStorage.setItem('loom.token', 'loom_revoked_or_made_up'));
    await page.goto(`${web.origin}/`);
    await page.getByLabel('API token').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Signed out');
  });

  test.skipIf(!HAS_APPROVE)('a pending deployment is approved from the run page (needs the approveDeployment mutation)', async () => {
    const { page } = browser;
    await page.evaluate((t) => sessionStorage.setItem('loom.token', t), web.tokens.launcher);
    await page.goto(`${web.origin}/new`);
    await page.getByLabel('Notebook source (Markdown)').fill('---\nname: web-approval\n---\n# Deploy\n\n```cell approval id=ship\ntimeoutMs: 60000\n```\n');
    await page.getByRole('button', { name: 'Save notebook' }).click();
    await page.getByRole('button', { name: 'Launch run' }).click();
    await page.waitForURL(/\/runs\/run-/);
    await page.getByRole('button', { name: 'Approve deployment' }).click({ timeout: 30_000 });
    await page.locator('[data-cell="ship"][data-cell-status="succeeded"]').waitFor({ timeout: 30_000 });
    await browser.screenshot('approval-1280');
  });
});
