import { LoomInputError } from '../core/errors.js';
import { parseIsoDay } from './calendar.js';
import { generateCustomer, type Customer } from './customers.js';
import { customerRow, shopperRow, type CustomerRow, type ShopperRow } from './rows.js';
import { generateSessions, type SessionRow, type SimulatedSession } from './sessions.js';
import { LABEL_MODEL, type LabelModel } from './truth.js';

export const DEFAULT_START = '2026-01-01';
export const MAX_CUSTOMERS = 10_000_000;

export interface CampaignOptions {
  customers: number;
  seed: number;
  /** First day of the one-year session window, `YYYY-MM-DD`; default 2026-01-01. */
  start?: string | undefined;
}

/** A customer with everything simulated for it; `customer.intent` and `latent` stay out of the CSVs. */
export interface SimulatedCustomer {
  customer: Customer;
  row: CustomerRow;
  sessions: SimulatedSession[];
}

export interface Campaign {
  readonly customers: number;
  readonly seed: number;
  readonly start: string;
  readonly model: LabelModel;
  /** Customers 1..N in order, generated one at a time; each call starts over and yields the same data. */
  simulatedCustomers(): Generator<SimulatedCustomer>;
  /** Customer `index` (1-based) alone, identical to its place in the full sequence. */
  customerAt(index: number): SimulatedCustomer;
  customerRows(): Generator<CustomerRow>;
  sessionRows(): Generator<SessionRow>;
  shopperRows(): Generator<ShopperRow>;
}

/** Checks options and returns a lazy, seeded campaign: nothing is generated until iterated. */
export function simulateCampaign(options: CampaignOptions): Campaign {
  const { customers, seed } = options;
  const start = options.start ?? DEFAULT_START;
  if (!Number.isInteger(customers) || customers < 1 || customers > MAX_CUSTOMERS) {
    throw new LoomInputError(`customers must be a whole number from 1 to ${MAX_CUSTOMERS}, got ${customers}`);
  }
  if (!Number.isSafeInteger(seed)) throw new LoomInputError(`seed must be a whole number, got ${seed}`);
  const startDay = parseIsoDay(start);
  if (startDay === undefined) throw new LoomInputError(`start must be a date like 2026-01-01, got "${start}"`);

  const customerAt = (index: number): SimulatedCustomer => {
    if (!Number.isInteger(index) || index < 1 || index > customers) throw new RangeError(`no customer ${index} in 1..${customers}`);
    const customer = generateCustomer(seed, index, startDay);
    const { sessions, signupDay } = generateSessions(seed, customer, startDay, LABEL_MODEL);
    return { customer, row: customerRow(customer, signupDay), sessions };
  };

  function* simulatedCustomers(): Generator<SimulatedCustomer> {
    for (let i = 1; i <= customers; i++) yield customerAt(i);
  }

  return {
    customers,
    seed,
    start,
    model: LABEL_MODEL,
    simulatedCustomers,
    customerAt,
    *customerRows() {
      for (const c of simulatedCustomers()) yield c.row;
    },
    *sessionRows() {
      for (const c of simulatedCustomers()) for (const s of c.sessions) yield s.row;
    },
    *shopperRows() {
      for (const c of simulatedCustomers()) for (const s of c.sessions) yield shopperRow(c.row, s.row);
    },
  };
}
