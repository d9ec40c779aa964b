import crypto from 'node:crypto';
import type { SqlConn } from '../db/client.js';

const SALT_KEY = 'pii_salt';

/**
 * The installation's PII salt, created on first use. Insert-if-absent then read back, so two
 * workers racing on a fresh installation agree on one salt.
 */
export async function getPiiSalt(db: SqlConn): Promise<Buffer> {
  const candidate = crypto.randomBytes(32).toString('hex');
  await db.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [SALT_KEY, candidate]);
  const rows = await db.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [SALT_KEY]);
  const value = rows[0]?.value;
  if (!value) throw new Error('The PII salt could not be read back from the settings table');
  return Buffer.from(value, 'hex');
}

/** Pseudonymises one value: the first 32 hex characters of HMAC-SHA256(salt, value). */
export function piiHash(salt: Buffer, value: string): string {
  return crypto.createHmac('sha256', salt).update(value, 'utf8').digest('hex').slice(0, 32);
}
