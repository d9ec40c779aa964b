export { simulateCampaign, DEFAULT_START, MAX_CUSTOMERS, type Campaign, type CampaignOptions, type SimulatedCustomer } from './campaign.js';
export { CUSTOMER_COLUMNS, SESSION_COLUMNS, SHOPPER_COLUMNS, type CustomerRow, type ShopperRow } from './rows.js';
export type { SessionRow, SessionLatent, SimulatedSession } from './sessions.js';
export type { Customer, VisitorType } from './customers.js';
export { LABEL_MODEL, trueLogit, applyTransform, type LabelModel } from './truth.js';
export { truthDocument, type ObservedCounts, type TruthDocument } from './truth-document.js';
