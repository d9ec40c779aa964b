import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, type TestBrowser } from './browser.js';
import { EXPERIMENT, MODEL, SCHEDULED, seedPages } from './seed-pages.js';
import { startWebStack, type WebStack } from './web-stack.js';

describe('web view: models, experiments, comparison, exports, schedules', () => {
  let web: WebStack;
  let browser: TestBrowser;
  let seeded: Awaited<ReturnType<typeof seedPages>>;

  beforeAll(async () => {
    [web, browser] = await Promise.all([startWebStack(), launchBrowser(1280, 900)]);
    seeded = await seedPages(web);
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  const signIn = async (token: string) => {
    const { page } = browser;
    await page.goto(`${web.origin}/`);
    // Wait until the app has settled on its current token, or it could write that one back after ours.
    await page.getByRole('navigation', { name: 'Main' }).or(page.getByLabel('API token')).waitFor();
    await page.evaluate((t) => sessionStorage.setItem('loom.token', t), token);
  };
  /** Full-page screenshots at both widths the view supports. */
  const shots = async (name: string, ready: () => Promise<unknown>) => {
    await browser.page.setViewportSize({ width: 1280, height: 900 });
    await browser.screenshot(`${name}-1280`);
    await browser.page.setViewportSize({ width: 768, height: 1000 });
    await ready();
    await browser.screenshot(`${name}-768`);
    await browser.page.setViewportSize({ width: 1280, height: 900 });
  };

  test('the top nav reaches every section by keyboard and marks the current one', async () => {
    const { page } = browser;
    await signIn(web.tokens.viewer);
    await page.goto(`${web.origin}/`);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Experiments' }).waitFor();
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Notebooks', 'Runs', 'Models', 'Experiments']);
    await nav.getByRole('link', { name: 'Models' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Models', level: 1 }).waitFor();
    expect(await nav.getByRole('link', { name: 'Models' }).getAttribute('aria-current')).toBe('page');
    await page.getByRole('link', { name: MODEL }).waitFor();
    await page.getByRole('link', { name: 'Runs' }).click();
    await page.getByRole('heading', { name: 'Runs', level: 1 }).waitFor();
    await page.getByRole('link', { name: seeded.runA }).waitFor();
  });

  test('a viewer sees versions, metrics, aliases and lineage; alias buttons are disabled with the role; predict returns probabilities', async () => {
    const { page } = browser;
    await page.goto(`${web.origin}/models/${MODEL}`);
    await page.getByRole('heading', { name: `Model ${MODEL}` }).waitFor();
    expect(await page.locator('table.versions tbody tr').count()).toBe(2);
    expect(await page.locator('table.versions thead').textContent()).toContain('auc');
    expect(await page.locator('tr[data-version="2"]').textContent()).toContain('0.81');
    expect(await page.locator('[data-alias="champion"]').textContent()).toContain('v1');
    expect(await page.locator('[data-alias="challenger"]').textContent()).toContain('v2');
    expect(await page.locator('tr[data-version="1"] .lineage a').getAttribute('href')).toMatch(/^\/runs\/run-/);
    const setAlias = page.getByRole('button', { name: 'Set alias' });
    expect(await setAlias.getAttribute('aria-disabled')).toBe('true');
    expect(await setAlias.getAttribute('title')).toContain('Needs the admin role');

    // Malformed rows are refused before any request, with the fix in the message.
    const rows = page.getByLabel(/Rows \(JSON/);
    await rows.fill('{"age": 34,');
    await page.getByRole('button', { name: 'Predict' }).click();
    await expect.poll(() => page.locator('#predict-help').textContent()).toMatch(/not valid JSON/);
    await rows.fill('[{"age": {"nested": 1}}]');
    await page.getByRole('button', { name: 'Predict' }).click();
    await expect.poll(() => page.locator('#predict-help').textContent()).toMatch(/Row 1: column "age" must be text, a number/);
    await rows.fill(JSON.stringify([{ age: 30, channel: 'web', member: true, review: 'love it' }, { age: 60, channel: 'email', member: false, review: 'meh' }]));
    await page.getByRole('button', { name: 'Predict' }).click();
    const probs = page.locator('table.predictions td[data-probability]');
    await expect.poll(() => probs.count()).toBe(2);
    for (const p of await probs.all()) {
      const value = Number(await p.getAttribute('data-probability'));
      expect(value).toBeGreaterThan(0);
      expect(value).toBeLessThan(1);
    }
    expect(await page.locator('table.predictions caption').textContent()).toContain('v1 (champion)');
    await page.locator('details.history summary').click();
    await shots('model', () => page.locator('table.predictions').waitFor());
  });

  test('an admin moves the champion with confirmation and rolls it back; history records both', async () => {
    const { page } = browser;
    await signIn(web.tokens.admin);
    await page.goto(`${web.origin}/models/${MODEL}`);
    await page.getByRole('button', { name: 'Set alias' }).click();
    // The version select defaults to the newest version (v2).
    await page.getByLabel('Reason for “Set alias”').fill('wins offline');
    await page.getByRole('button', { name: 'Yes, set alias' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('champion now points at v2');
    await expect.poll(() => page.locator('[data-alias="champion"]').textContent()).toContain('v2');
    await page.getByRole('button', { name: 'Roll back' }).click();
    await page.getByRole('button', { name: 'Yes, roll back' }).click();
    await expect.poll(() => page.locator('[data-alias="champion"]').textContent()).toContain('v1');
    await page.locator('details.history summary').click();
    expect(await page.locator('details.history').textContent()).toContain('wins offline');
  });

  test('the experiment page shows arms, the SRM flag, the lift chart with its band and zero rule, and results', async () => {
    const { page } = browser;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Experiments' }).click();
    await page.getByRole('link', { name: EXPERIMENT }).click();
    await page.getByRole('heading', { name: `Experiment ${EXPERIMENT}` }).waitFor();
    const arms = page.locator('table.arms');
    expect(await arms.textContent()).toContain(`${MODEL}@champion`);
    expect(await arms.textContent()).toContain('50.0%');
    expect(await page.locator('.badge[data-status^="sample ratio mismatch"]').textContent()).toBe('sample ratio mismatch (p < 0.001)');
    expect(await page.getByText('promotion is blocked').count()).toBe(1);
    await page.locator('.experiment .vega svg.marks').waitFor();
    expect(await page.locator('.experiment .vega g.mark-area.role-mark path').count()).toBe(1);
    expect(await page.locator('.experiment .vega g.mark-line.role-mark path').count()).toBe(1);
    expect(await page.locator('.experiment .vega g.mark-symbol.role-mark path').count()).toBe(3);
    expect(await page.locator('.experiment .vega g.mark-rule.role-mark line').count()).toBe(1);
    const row = page.locator('tr[data-metric="repeat_purchase_30d"]');
    expect(await row.textContent()).toContain('5.00%');
    expect(await row.textContent()).toContain('[1.0%, 9.0%]');
    expect(await row.textContent()).toContain('0.010');
    // Decide needs admin (this token has it) and asks first; stop shows its confirmation too.
    await page.getByRole('button', { name: 'Stop now' }).click();
    expect(await page.getByRole('group', { name: 'Confirm: Stop now' }).textContent()).toContain('Stop and decide');
    await page.getByRole('button', { name: 'No', exact: true }).click();
    await shots('experiment', () => page.locator('.experiment .vega svg.marks').waitFor());
  });

  test('compare shows the param diff, source diff, cells, metric deltas and the combined chart', async () => {
    const { page } = browser;
    await page.goto(`${web.origin}/runs/${seeded.runA}`);
    await page.getByLabel('Compare with').selectOption(seeded.runB);
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.waitForURL(`**/compare/${seeded.runA}/${seeded.runB}`);
    await page.getByRole('heading', { name: /Compare runs of web-compare/ }).waitFor();
    const label = page.locator('tr[data-param="label"]');
    expect(await label.getAttribute('class')).toBe('changed');
    expect(await label.textContent()).toContain('"spring"');
    expect(await label.textContent()).toContain('"autumn"');
    expect(await page.locator('tr[data-param="bars"]').textContent()).toContain('5');
    expect(await page.locator('.diff-removed').allTextContents()).toEqual([expect.stringContaining('social: 7')]);
    expect(await page.locator('.diff-added').allTextContents()).toEqual([expect.stringContaining('social: 9')]);
    expect(await page.locator('table.metrics').textContent()).toContain('bars');
    await page.locator('[data-chart-cell="bars"] .vega svg.marks').waitFor();
    await shots('compare', () => page.locator('[data-chart-cell="bars"] .vega svg.marks').waitFor());
  });

  test('run page: accounting strip; .ipynb and HTML downloads hold the run', async () => {
    const { page } = browser;
    await page.goto(`${web.origin}/runs/${seeded.runA}`);
    const strip = page.getByRole('definition').first();
    await strip.waitFor();
    expect(await page.locator('dl.accounting').textContent()).toMatch(/Wall time[\d.]+ (ms|s).*Queue wait.*GPU-seconds0/);
    const [ipynb] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download .ipynb' }).click()]);
    expect(ipynb.suggestedFilename()).toBe(`${seeded.runA}.ipynb`);
    const nb = JSON.parse(fs.readFileSync((await ipynb.path()), 'utf8')) as { nbformat: number; metadata: { loom: { runId: string } }; cells: Array<{ cell_type: string; metadata: { loom?: { cellId: string } } }> };
    expect(nb.nbformat).toBe(4);
    expect(nb.metadata.loom.runId).toBe(seeded.runA);
    expect(nb.cells.filter((c) => c.cell_type === 'code').map((c) => c.metadata.loom?.cellId)).toEqual(['pick', 'bars']);
    const [html] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download HTML' }).click()]);
    const text = fs.readFileSync((await html.path()), 'utf8');
    expect(text).toMatch(/^<!doctype html>/i);
    expect(text).toContain(seeded.runA);
    await shots('run-accounting', () => page.locator('dl.accounting').waitFor());
  });

  test('the notebook page shows its schedule; a launcher pauses it with a note and resumes it', async () => {
    const { page } = browser;
    await signIn(web.tokens.launcher);
    await page.goto(`${web.origin}/notebooks/${SCHEDULED}`);
    const box = page.locator('section.schedule');
    await box.getByText('0 2 * * *').waitFor();
    expect(await box.textContent()).toContain('Europe/Paris');
    expect(await box.locator('.badge').textContent()).toBe('active');
    expect(await box.locator('dd').first().textContent()).not.toBe('—');
    await page.getByLabel(/Note \(why/).fill('holiday freeze');
    await page.getByRole('button', { name: 'Pause schedule' }).click();
    await expect.poll(() => box.locator('.badge').textContent()).toBe('paused');
    expect(await box.textContent()).toContain('holiday freeze');
    await shots('schedule', () => box.waitFor());
    await page.getByRole('button', { name: 'Resume schedule' }).click();
    await expect.poll(() => box.locator('.badge').textContent()).toBe('active');
  });
});
