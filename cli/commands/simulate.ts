import { constants, createWriteStream } from 'node:fs';
import { access, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { stringify, type Stringifier } from 'csv-stringify';
import { parseIsoDay } from '../../simulator/calendar.js';
import {
  ARM_NAME,
  CUSTOMER_COLUMNS,
  DEFAULT_EFFECT,
  DEFAULT_START,
  LIFT_RANGE,
  MAX_ARMS,
  MAX_CUSTOMERS,
  MAX_LOYALTY_DAYS,
  SESSION_COLUMNS,
  SHOPPER_COLUMNS,
  hashAssignment,
  simulateCampaign,
  simulateLoyalty,
  truthDocument,
  type Campaign,
  type EffectSpec,
  type LoyaltySimulation,
  type ObservedCounts,
} from '../../simulator/index.js';
import { shopperRow } from '../../simulator/rows.js';

export const SIMULATE_FILES = ['customers.csv', 'sessions.csv', 'shoppers.csv', 'truth.json'] as const;
/** Written as well with --loyalty-days. */
export const LOYALTY_FILES = ['exposures.csv', 'events.csv', 'loyalty-truth.json'] as const;
export const EXPOSURE_COLUMNS = ['customer_id', 'arm', 'exposed_at'] as const;
export const EVENT_COLUMNS = ['customer_id', 'type', 'value', 'occurred_at', 'idempotency_key'] as const;
/** Fourteen days of exposures and at least a week to measure after the last one. */
const MIN_LOYALTY_DAYS = 21;
/** Below this many customers a run takes well under a second; progress lines would be noise. */
const PROGRESS_FROM = 10_000;

interface SimulateFlags {
  customers: number;
  seed: number;
  out: string;
  start: string;
  force?: boolean;
  loyaltyDays?: number;
  effect?: EffectSpec;
  arms?: string[];
}

function parseCustomers(text: string): number {
  const n = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_CUSTOMERS) {
    throw new InvalidArgumentError(`--customers takes a whole number from 1 to ${MAX_CUSTOMERS.toLocaleString('en-US')}, e.g. --customers 2000.`);
  }
  return n;
}

function parseSeed(text: string): number {
  const n = /^-?\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`--seed takes a whole number (up to ${Number.MAX_SAFE_INTEGER}), e.g. --seed 7.`);
  return n;
}

function parseStart(text: string): string {
  if (parseIsoDay(text) === undefined) throw new InvalidArgumentError('--start takes a calendar date as YYYY-MM-DD, e.g. --start 2026-01-01.');
  return text;
}

function parseLoyaltyDays(text: string): number {
  const n = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < MIN_LOYALTY_DAYS || n > MAX_LOYALTY_DAYS) {
    throw new InvalidArgumentError(
      `--loyalty-days takes a whole number of days from ${MIN_LOYALTY_DAYS} (two weeks of exposures and one to measure) to ${MAX_LOYALTY_DAYS}, e.g. --loyalty-days 60.`,
    );
  }
  return n;
}

function parseEffect(text: string): EffectSpec {
  const parts = text.split(',').map((p) => p.trim());
  const lifts = parts.map((p) => (/^[-+]?(\d+\.?\d*|\.\d+)$/.test(p) ? Number(p) : NaN));
  const [high, medium, low] = lifts;
  if (parts.length !== 3 || high === undefined || medium === undefined || low === undefined || lifts.some((l) => !(l >= LIFT_RANGE.min && l <= LIFT_RANGE.max))) {
    throw new InvalidArgumentError(
      `--effect takes three relative lifts of the purchase hazard for high, medium and low intent, each from ${LIFT_RANGE.min} to ${LIFT_RANGE.max}, e.g. --effect 0.2,0.05,0 (0,0,0 is an A/A test).`,
    );
  }
  return { relativeLift: { high, medium, low } };
}

function parseArms(text: string): string[] {
  const names = text.split(',').map((n) => n.trim());
  const bad = names.find((n) => !ARM_NAME.test(n));
  if (names.length < 2 || names.length > MAX_ARMS || bad !== undefined || new Set(names).size !== names.length) {
    throw new InvalidArgumentError(
      `--arms takes 2 to ${MAX_ARMS} distinct names separated by commas, control first, each letters, digits, "_" or "-" starting with a letter, e.g. --arms control,treatment.`,
    );
  }
  return names;
}

/** Makes sure `dir` is a writable directory (creating it if needed); returns a problem or undefined. */
async function prepareOutDir(dir: string, shown: string, force: boolean, files: readonly string[]): Promise<string | undefined> {
  const info = await stat(dir).catch(() => undefined);
  if (info && !info.isDirectory()) return `--out ${shown} is a file, not a directory; pass a directory, e.g. --out data/sim/`;
  if (!info) {
    try {
      await mkdir(dir, { recursive: true });
    } catch (err) {
      return `--out ${shown} cannot be created (${(err as NodeJS.ErrnoException).code ?? String(err)}); pass a directory you can write to`;
    }
  }
  try {
    await access(dir, constants.W_OK);
  } catch {
    return `--out ${shown} is not writable; pass a directory you can write to`;
  }
  if (!force) {
    const existing: string[] = [];
    for (const name of files) if (await stat(join(dir, name)).catch(() => undefined)) existing.push(name);
    if (existing.length > 0) return `--out ${shown} already holds ${existing.join(', ')}; pass --force to overwrite, or choose another --out`;
  }
  return undefined;
}

/** A CSV file written through a stringifier; rows wait for the disk when its buffer is full. */
class CsvSink {
  readonly stringifier: Stringifier;
  readonly done: Promise<void>;
  private readonly aborter = new AbortController();

  constructor(
    readonly path: string,
    columns: readonly string[],
  ) {
    this.stringifier = stringify({ header: true, columns: [...columns] });
    this.done = pipeline(this.stringifier, createWriteStream(path));
    // A failed disk write never emits 'drain'; abort the wait so the error surfaces.
    this.done.catch(() => this.aborter.abort());
  }

  async write(record: object): Promise<void> {
    if (!this.stringifier.write(record)) await once(this.stringifier, 'drain', { signal: this.aborter.signal });
  }

  async close(): Promise<void> {
    this.stringifier.end();
    await this.done;
  }
}

/** Streams the campaign into the three CSV files, one customer at a time; returns what it wrote. */
async function writeCampaign(campaign: Campaign, dir: string, progress: (line: string) => void): Promise<ObservedCounts> {
  const partial = (name: string) => join(dir, `${name}.partial`);
  const customers = new CsvSink(partial('customers.csv'), CUSTOMER_COLUMNS);
  const sessions = new CsvSink(partial('sessions.csv'), SESSION_COLUMNS);
  const shoppers = new CsvSink(partial('shoppers.csv'), SHOPPER_COLUMNS);
  const sinks = [customers, sessions, shoppers];
  const counts: ObservedCounts = { customers: 0, sessions: 0, purchases: 0 };
  const step = Math.ceil(campaign.customers / 10);
  try {
    for (const c of campaign.simulatedCustomers()) {
      await customers.write(c.row);
      for (const s of c.sessions) {
        await sessions.write(s.row);
        await shoppers.write(shopperRow(c.row, s.row));
        counts.sessions++;
        counts.purchases += s.row.purchase;
      }
      counts.customers++;
      if (campaign.customers >= PROGRESS_FROM && counts.customers % step === 0 && counts.customers < campaign.customers) {
        const pct = Math.round((counts.customers / campaign.customers) * 100);
        progress(`simulate: ${pct}% (${counts.customers.toLocaleString('en-US')} of ${campaign.customers.toLocaleString('en-US')} customers)\n`);
      }
    }
    await Promise.all(sinks.map((s) => s.close()));
    await writeFile(partial('truth.json'), `${JSON.stringify(truthDocument(campaign, counts), null, 2)}\n`);
    // Renaming last means a crash never leaves a half-written file under the final name.
    for (const name of SIMULATE_FILES) await rename(partial(name), join(dir, name));
    return counts;
  } catch (err) {
    for (const s of sinks) s.stringifier.destroy();
    await Promise.allSettled(sinks.map((s) => s.done));
    await Promise.all(SIMULATE_FILES.map((name) => rm(partial(name), { force: true })));
    throw err;
  }
}

/** Streams exposures and events into their CSV files, one customer at a time; returns the counts. */
async function writeLoyalty(sim: LoyaltySimulation, dir: string, progress: (line: string) => void): Promise<{ exposures: number; events: number }> {
  const partial = (name: string) => join(dir, `${name}.partial`);
  const exposures = new CsvSink(partial('exposures.csv'), EXPOSURE_COLUMNS);
  const events = new CsvSink(partial('events.csv'), EVENT_COLUMNS);
  const sinks = [exposures, events];
  const counts = { exposures: 0, events: 0, purchases: 0, visits: 0, reviews: 0 };
  const total = sim.options.customers;
  const step = Math.ceil(total / 10);
  try {
    for (const c of sim.customers()) {
      await exposures.write({ customer_id: c.customerId, arm: c.arm, exposed_at: c.exposure.exposedAt });
      for (const e of c.events) {
        await events.write({ customer_id: e.customerId, type: e.type, value: e.value, occurred_at: e.occurredAt, idempotency_key: e.idempotencyKey });
        counts[`${e.type}s`]++;
      }
      counts.events += c.events.length;
      counts.exposures++;
      if (total >= PROGRESS_FROM && counts.exposures % step === 0 && counts.exposures < total) {
        const pct = Math.round((counts.exposures / total) * 100);
        progress(`simulate loyalty: ${pct}% (${counts.exposures.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} customers)\n`);
      }
    }
    await Promise.all(sinks.map((s) => s.close()));
    const { startDay: _internal, ...options } = sim.options;
    const truth = {
      generator: 'loom simulate --loyalty-days',
      generatedWith: { ...options, assignment: `equal split: arms[floor(fnv1a32("sim-<seed>:" + customer_id) / 2^32 * arms)]` },
      truth: sim.truth({ windowDays: Math.min(30, options.days - options.exposureDays) }),
      observed: counts,
    };
    await writeFile(partial('loyalty-truth.json'), `${JSON.stringify(truth, null, 2)}\n`);
    for (const name of LOYALTY_FILES) await rename(partial(name), join(dir, name));
    return counts;
  } catch (err) {
    for (const s of sinks) s.stringifier.destroy();
    await Promise.allSettled(sinks.map((s) => s.done));
    await Promise.all(LOYALTY_FILES.map((name) => rm(partial(name), { force: true })));
    throw err;
  }
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('generate seeded e-commerce customers, sessions, reviews and purchase labels as CSV')
    .addOption(new Option('--customers <n>', `number of customers, 1 to ${MAX_CUSTOMERS.toLocaleString('en-US')}`).argParser(parseCustomers).makeOptionMandatory())
    .addOption(new Option('--seed <s>', 'random seed (a whole number); the same seed gives the same files').argParser(parseSeed).makeOptionMandatory())
    .addOption(new Option('--out <dir>', 'directory for customers.csv, sessions.csv, shoppers.csv and truth.json').makeOptionMandatory())
    .addOption(new Option('--start <date>', 'first day of the one-year session window (YYYY-MM-DD)').argParser(parseStart).default(DEFAULT_START))
    .option('--force', 'overwrite files already in --out')
    .addOption(
      new Option('--loyalty-days <d>', `also simulate an A/B test on loyalty over D days from --start: writes ${LOYALTY_FILES.join(', ')}`).argParser(parseLoyaltyDays),
    )
    .addOption(
      new Option('--effect <high,medium,low>', `planted relative lift of the purchase hazard per intent segment (default ${Object.values(DEFAULT_EFFECT.relativeLift).join(',')})`).argParser(
        parseEffect,
      ),
    )
    .addOption(new Option('--arms <names>', 'arm names, control first (default control,treatment); customers split equally by a hash of their id').argParser(parseArms))
    .action(async (flags: SimulateFlags, cmd: Command) => {
      const out = cmd.configureOutput();
      const writeOut = out.writeOut ?? ((s: string) => process.stdout.write(s));
      const writeErr = out.writeErr ?? ((s: string) => process.stderr.write(s));
      const dir = resolve(flags.out);
      const loyalty = flags.loyaltyDays !== undefined;
      if (!loyalty && (flags.effect !== undefined || flags.arms !== undefined)) {
        cmd.error('error: --effect and --arms shape the loyalty simulation; add --loyalty-days, e.g. --loyalty-days 60', { exitCode: 2, code: 'loom.simulate.loyalty' });
      }
      const problem = await prepareOutDir(dir, flags.out, flags.force === true, loyalty ? [...SIMULATE_FILES, ...LOYALTY_FILES] : SIMULATE_FILES);
      if (problem) cmd.error(`error: ${problem}`, { exitCode: 2, code: 'loom.simulate.out' });
      const campaign = simulateCampaign({ customers: flags.customers, seed: flags.seed, start: flags.start });
      const started = Date.now();
      const counts = await writeCampaign(campaign, dir, writeErr);
      const rate = counts.sessions === 0 ? 0 : (100 * counts.purchases) / counts.sessions;
      writeOut(
        `wrote ${counts.customers.toLocaleString('en-US')} customers and ${counts.sessions.toLocaleString('en-US')} sessions ` +
          `(${rate.toFixed(1)}% purchases) to ${flags.out} in ${((Date.now() - started) / 1000).toFixed(1)}s\n`,
      );
      if (flags.loyaltyDays === undefined) return;
      const armNames = flags.arms ?? ['control', 'treatment'];
      const sim = simulateLoyalty({
        customers: flags.customers,
        seed: flags.seed,
        start: flags.start,
        days: flags.loyaltyDays,
        arms: armNames.map((name, i) => ({ name, treatment: i > 0 })),
        assign: hashAssignment(armNames, `sim-${flags.seed}`),
        effect: flags.effect,
      });
      const loyaltyStarted = Date.now();
      const written = await writeLoyalty(sim, dir, writeErr);
      writeOut(
        `wrote ${written.exposures.toLocaleString('en-US')} exposures and ${written.events.toLocaleString('en-US')} events over ${flags.loyaltyDays} days ` +
          `(arms ${armNames.join(', ')}) to ${flags.out} in ${((Date.now() - loyaltyStarted) / 1000).toFixed(1)}s\n`,
      );
    });
}
