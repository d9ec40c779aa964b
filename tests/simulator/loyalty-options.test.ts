import { describe, expect, it } from 'vitest';
import { LoomInputError } from '../../core/errors.js';
import { measureStreams, simulateLoyalty, type LoyaltyOptions } from '../../simulator/index.js';
import { TWO_ARMS, twoArmSimulation } from './loyalty-sim.js';

const good: LoyaltyOptions = { customers: 50, seed: 1, start: '2026-03-02', days: 60, arms: [...TWO_ARMS], assign: () => 'control' };

/** Options arrive from notebook configs and callers' code: anything can be in them. */
function refused(patch: Record<string, unknown>, ...mentions: RegExp[]): void {
  let error: unknown;
  try {
    simulateLoyalty({ ...good, ...patch });
  } catch (err) {
    error = err;
  }
  expect(error, `accepted ${JSON.stringify(patch)?.slice(0, 80)}`).toBeInstanceOf(LoomInputError);
  const message = (error as Error).message;
  for (const m of mentions) expect(message).toMatch(m);
  // Messages stay readable even when the input is huge.
  expect(message.length).toBeLessThan(400);
}

describe('simulateLoyalty options', () => {
  it('refuses impossible sizes, seeds, dates and horizons, naming the option', () => {
    for (const customers of [0, -3, 2.5, NaN, Infinity, 1e12, '100', null]) refused({ customers }, /customers/, /whole number/);
    for (const seed of [1.5, NaN, 2 ** 60, '7', undefined]) refused({ seed }, /seed/);
    for (const start of ['2026-02-30', '03/02/2026', '', 'x'.repeat(100_000), 20260302]) refused({ start }, /start/, /2026-03-01/);
    for (const days of [0, -1, 731, 1.5, 1e9, '60']) refused({ days }, /days/, /1 to 730/);
    for (const exposureDays of [0, 61, 2.5, -4]) refused({ exposureDays }, /exposureDays/, /at most days/);
  });

  it('refuses malformed and hostile arms', () => {
    refused({ arms: [] }, /arms/, /2 to 10/);
    refused({ arms: [TWO_ARMS[0]] }, /arms/);
    refused({ arms: Array.from({ length: 11 }, (_, i) => ({ name: `a${i}`, treatment: i > 0 })) }, /2 to 10/);
    refused({ arms: 'control,treatment' }, /arms/);
    refused({ arms: [{ name: 'control', treatment: false }, { name: 'control', treatment: true }] }, /twice/);
    refused({ arms: [{ name: 'a', treatment: true }, { name: 'b', treatment: true }] }, /control arm/);
    for (const name of ["x'; DROP TABLE runs;--", 'a b', '', '1st', 'é', 'x'.repeat(65), 'new\nline', 42, null]) {
      refused({ arms: [{ name: 'control', treatment: false }, { name, treatment: true }] }, /arms\[1\]\.name/, /letters, digits/);
    }
    refused({ arms: [{ name: 'control', treatment: 'yes' }, TWO_ARMS[1]] }, /arms\[0\]\.treatment/, /true or false/);
    refused({ arms: [null, TWO_ARMS[1]] }, /arms\[0\]/);
  });

  it('refuses effects that are not three plausible lifts', () => {
    for (const effect of [0.2, 'big', null, { high: 0.2 }, { relativeLift: null }]) refused({ effect }, /effect/, /relativeLift/);
    for (const high of [NaN, Infinity, -1, -0.95, 2.5, 1e300, '0.2', undefined]) {
      refused({ effect: { relativeLift: { high, medium: 0, low: 0 } } }, /effect\.relativeLift\.high/, /-0\.9 to 2/);
    }
    refused({ effect: { relativeLift: { high: 0.2, medium: 0, low: 0, vip: 1 } } }, /unknown segment "vip"/);
    refused({ assign: 'hash' }, /assign must be a function/);
  });

  it('checks what assign returns, when the customer is generated', () => {
    const bad = [
      { assign: () => 'variant', message: /assign returned "variant" for customer c_000001, which is not an arm; the arms are control, treatment/ },
      { assign: () => undefined, message: /assign returned undefined/ },
      { assign: () => 'x'.repeat(10_000), message: /not an arm/ },
      { assign: () => { throw new Error('salt missing'); }, message: /assign failed for customer c_000001: salt missing/ },
    ];
    for (const { assign, message } of bad) {
      const sim = simulateLoyalty({ ...good, assign: assign as () => string });
      expect(() => sim.events().next()).toThrow(LoomInputError);
      expect(() => sim.exposures().next()).toThrow(message);
    }
  });

  it('refuses metric windows that do not fit after the last exposure', () => {
    const sim = twoArmSimulation(10, 1, undefined, 30);
    expect(() => sim.truth()).toThrow(/windowDays must be a whole number from 7 to 16/);
    expect(() => sim.truth({ windowDays: 16, retentionDay: 10 })).toThrow(/retentionDay must be a whole number from 0 to 9/);
    expect(sim.truth({ windowDays: 16 }).window).toMatchObject({ windowDays: 16, retentionDay: 9 });
    const short = simulateLoyalty({ ...good, days: 10 });
    expect(() => short.truth()).toThrow(/raise days to at least 17/);
    expect(() => measureStreams([{ customerId: 'c_1', arm: 'control', exposedAt: 'yesterday' }], [], { windowDays: 30, retentionDay: 23 })).toThrow(/exposedAt must be an ISO timestamp/);
    const twice = { customerId: 'c_1', arm: 'control', exposedAt: '2026-03-02T00:00:00.000Z' };
    expect(() => measureStreams([twice, twice], [], { windowDays: 30, retentionDay: 23 })).toThrow(/two exposures/);
  });
});
