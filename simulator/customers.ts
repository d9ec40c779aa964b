import { Categorical, Rng, Stream, round } from './random.js';

export type VisitorType = 'new' | 'returning' | 'other';

/** Region codes 1..9 with the skew of the public shoppers data (region 1 dominates). */
export const REGIONS = new Categorical([1, 2, 3, 4, 5, 6, 7, 8, 9], [39, 9, 19, 10, 2.6, 6.5, 6.2, 3.5, 4.2]);
const VISITOR_TYPES = new Categorical<VisitorType>(['returning', 'new', 'other'], [84, 15, 1]);

const FIRST_NAMES = ['ana', 'ben', 'chen', 'dara', 'elif', 'farid', 'grace', 'hugo', 'ines', 'jamal', 'kai', 'lena', 'marco', 'nadia', 'omar', 'priya', 'quinn', 'rosa', 'sam', 'tariq', 'uma', 'vera', 'wei', 'yusuf', 'zoe'];
const LAST_NAMES = ['silva', 'smith', 'kumar', 'nguyen', 'garcia', 'muller', 'rossi', 'kim', 'novak', 'okafor', 'larsen', 'dubois', 'tanaka', 'jensen', 'moreau', 'costa', 'ali', 'brown', 'cohen', 'popescu'];

/** What is known about a customer when the campaign starts. */
export interface Customer {
  /** 1-based position; ids and random streams derive from it. */
  index: number;
  customerId: string;
  email: string;
  age: number;
  region: number;
  visitorType: VisitorType;
  /** Day number of sign-up; for new customers it is filled in from their first session. */
  signupDay: number;
  loyaltyOrders90d: number;
  loyaltySpend90d: number;
  /**
   * Latent purchase intent, Normal(0, 1). Never written to the customer files; it drives browsing
   * and review tone, and later outcome tables (repeat purchases) can draw on it too.
   */
  intent: number;
  /** How many sessions the customer has in the campaign window. */
  sessionCount: number;
}

export function customerId(index: number): string {
  return `c_${String(index).padStart(6, '0')}`;
}

/** The customer's latent intent alone, without drawing the rest of the profile: the first draw of its stream. */
export function customerIntent(seed: number, index: number): number {
  return Rng.for(seed, index, Stream.profile).normal();
}

/** Draws the customer's profile from its own stream, so any customer can be regenerated alone. */
export function generateCustomer(seed: number, index: number, startDay: number): Customer {
  const rng = Rng.for(seed, index, Stream.profile);
  const intent = rng.normal(); // first, so customerIntent() can draw it alone
  const visitorType = VISITOR_TYPES.sample(rng);
  const age = Math.min(85, Math.max(18, Math.round(rng.normal(38, 12) + (rng.bernoulli(0.1) ? rng.exponential(12) : 0))));
  const region = REGIONS.sample(rng);
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  // Long-standing customers signed up months or years before the window opens.
  const signupDay = startDay - 14 - Math.floor(rng.exponential(420));
  let loyaltyOrders90d = 0;
  let loyaltySpend90d = 0;
  if (visitorType !== 'new') {
    loyaltyOrders90d = rng.poisson(0.55 * Math.exp(0.6 * intent));
    for (let i = 0; i < loyaltyOrders90d; i++) loyaltySpend90d += rng.logNormal(42, 0.7);
  }
  // Heavier browsers come back more often; most customers are seen once or twice.
  const sessionCount = 1 + rng.poisson(0.2 * Math.exp(0.35 * intent));
  return {
    index,
    customerId: customerId(index),
    email: `${first}.${last}${index}@example.com`,
    age,
    region,
    visitorType,
    signupDay,
    loyaltyOrders90d,
    loyaltySpend90d: round(loyaltySpend90d, 2),
    intent,
    sessionCount,
  };
}
