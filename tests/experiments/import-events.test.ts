import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importEvents } from '../../activities/experiments/import-events.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';

describe('importing customer events from files', () => {
  let t: TestDatabase;
  let dir: string;
  const now = Date.parse('2026-03-01T00:00:00Z');
  const signal = new AbortController().signal;
  beforeAll(async () => {
    t = await createTestDatabase('pglite');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-events-'));
  });
  afterAll(async () => {
    await t?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loads CSV once (a second import stores nothing) and reports bad rows with their line', async () => {
    const file = path.join(dir, 'events.csv');
    const rows = ['customer_id,type,value,occurred_at,idempotency_key'];
    for (let i = 0; i < 12_000; i++) rows.push(`c${i % 100},${i % 2 ? 'visit' : 'purchase'},${i % 50},2026-02-0${1 + (i % 9)}T10:00:00Z,f-${i}`);
    rows.push('c1,refund,1,2026-02-01T10:00:00Z,f-bad', 'c1,visit,,2099-01-01T00:00:00Z,f-future', '"unclosed,visit,1,2026-02-01T00:00:00Z,q');
    fs.writeFileSync(file, rows.join('\n') + '\n');
    const first = await importEvents(t.db, { source: file, format: 'csv', now }, [dir], signal);
    expect(first).toMatchObject({ accepted: 12_000, duplicates: 0, rejected: 3 });
    expect(first.errors[0]).toMatchObject({ line: 12_002, field: 'type' });
    expect(first.errors[1]?.message).toMatch(/in the future/);
    const second = await importEvents(t.db, { source: file, format: 'csv', now }, [dir], signal);
    expect(second).toMatchObject({ accepted: 0, duplicates: 12_000 });
  });

  it('loads JSON Lines and refuses files outside the data roots or without the needed columns', async () => {
    const file = path.join(dir, 'events.jsonl');
    fs.writeFileSync(file, '{"customerId":"j1","type":"review","value":2,"occurredAt":"2026-02-10T00:00:00Z","idempotencyKey":"j-1"}\nnot json\n[1]\n');
    const r = await importEvents(t.db, { source: file, format: 'jsonl', now }, [dir], signal);
    expect(r).toMatchObject({ accepted: 1, rejected: 2 });
    await expect(importEvents(t.db, { source: '/etc/passwd', format: 'csv', now }, [dir], signal)).rejects.toThrow(/outside the allowed data directories/);
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'a,b\n1,2\n');
    await expect(importEvents(t.db, { source: bad, format: 'csv', now }, [dir], signal)).rejects.toThrow(/has no customer_id, type, occurred_at, idempotency_key column/);
  });
});
