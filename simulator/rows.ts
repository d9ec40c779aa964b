import { isoDay } from './calendar.js';
import type { Customer, VisitorType } from './customers.js';
import type { SessionRow } from './sessions.js';

/** One customer as written to `customers.csv`. */
export interface CustomerRow {
  customer_id: string;
  email: string;
  age: number;
  region: number;
  signup_date: string;
  visitor_type: VisitorType;
  loyalty_orders_90d: number;
  loyalty_spend_90d: number;
}

/** One session joined with its customer, as written to `shoppers.csv` (the file notebooks ingest). */
export type ShopperRow = Pick<SessionRow, 'session_id' | 'customer_id'> &
  Pick<CustomerRow, 'email' | 'age' | 'signup_date' | 'loyalty_orders_90d' | 'loyalty_spend_90d'> &
  Omit<SessionRow, 'session_id' | 'customer_id'>;

export const CUSTOMER_COLUMNS = [
  'customer_id',
  'email',
  'age',
  'region',
  'signup_date',
  'visitor_type',
  'loyalty_orders_90d',
  'loyalty_spend_90d',
] as const satisfies readonly (keyof CustomerRow)[];

export const SESSION_COLUMNS = [
  'session_id',
  'customer_id',
  'session_date',
  'administrative',
  'administrative_duration',
  'informational',
  'informational_duration',
  'product_related',
  'product_related_duration',
  'bounce_rates',
  'exit_rates',
  'page_values',
  'special_day',
  'month',
  'operating_system',
  'browser',
  'region',
  'traffic_source',
  'visitor_type',
  'weekend',
  'review_text',
  'purchase',
] as const satisfies readonly (keyof SessionRow)[];

export const SHOPPER_COLUMNS = [
  'session_id',
  'customer_id',
  'email',
  'age',
  'signup_date',
  'loyalty_orders_90d',
  'loyalty_spend_90d',
  ...SESSION_COLUMNS.slice(2),
] as const satisfies readonly (keyof ShopperRow)[];

export function customerRow(customer: Customer, signupDay: number): CustomerRow {
  return {
    customer_id: customer.customerId,
    email: customer.email,
    age: customer.age,
    region: customer.region,
    signup_date: isoDay(signupDay),
    visitor_type: customer.visitorType,
    loyalty_orders_90d: customer.loyaltyOrders90d,
    loyalty_spend_90d: customer.loyaltySpend90d,
  };
}

export function shopperRow(customer: CustomerRow, session: SessionRow): ShopperRow {
  return {
    ...session,
    email: customer.email,
    age: customer.age,
    signup_date: customer.signup_date,
    loyalty_orders_90d: customer.loyalty_orders_90d,
    loyalty_spend_90d: customer.loyalty_spend_90d,
  };
}
