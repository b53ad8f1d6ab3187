/**
 * The audit log is append-only: the database refuses UPDATE and DELETE (triggers from
 * drizzle/0001_audit_append_only.sql), and no module under app/routes or app/domain even tries.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { auditLog } from "#db/schema";
import { recordAudit, SYSTEM_ACTOR } from "~/domain/audit";

function makeRow() {
  return getDb()
    .insert(auditLog)
    .values({ action: "create", entity: "append_only_case", entityId: "1", actorLogin: "test.person", details: { a: 1 } })
    .returning()
    .get();
}

describe("the database keeps the audit log append-only", () => {
  it("accepts new rows", () => {
    const before = getDb().select().from(auditLog).all().length;
    recordAudit(getDb(), SYSTEM_ACTOR, { action: "create", entity: "append_only_case", entityId: 2 });
    expect(getDb().select().from(auditLog).all().length).toBe(before + 1);
  });

  it("refuses to update a row, and the row stays as it was", () => {
    const row = makeRow();
    expect(() => getDb().update(auditLog).set({ action: "tampered" }).where(eq(auditLog.id, row.id)).run()).toThrow(/append-only/);
    expect(() => getDb().$client.prepare("UPDATE audit_log SET details = NULL").run()).toThrow(/append-only/);
    expect(getDb().select().from(auditLog).where(eq(auditLog.id, row.id)).get()).toEqual(row);
  });

  it("refuses to delete a row, one or all, and the rows stay", () => {
    const row = makeRow();
    const count = getDb().select().from(auditLog).all().length;
    expect(() => getDb().delete(auditLog).where(eq(auditLog.id, row.id)).run()).toThrow(/append-only/);
    expect(() => getDb().$client.prepare("DELETE FROM audit_log").run()).toThrow(/append-only/);
    expect(getDb().select().from(auditLog).where(eq(auditLog.id, row.id)).get()).toEqual(row);
    expect(getDb().select().from(auditLog).all().length).toBe(count);
  });

  it("refuses an upsert that would change a row", () => {
    const row = makeRow();
    expect(() =>
      getDb().$client.prepare("INSERT INTO audit_log (id, action, entity) VALUES (?, 'x', 'y') ON CONFLICT(id) DO UPDATE SET action = 'x'").run(row.id),
    ).toThrow(/append-only/);
    expect(getDb().select().from(auditLog).where(eq(auditLog.id, row.id)).get()).toEqual(row);
  });

  // REPLACE deletes the old row without firing DELETE triggers (recursive_triggers is off);
  // migration 0004 adds a BEFORE INSERT trigger that refuses an existing id.
  it("refuses to overwrite a row through INSERT OR REPLACE", () => {
    const row = makeRow();
    expect(() =>
      getDb().$client.prepare("INSERT OR REPLACE INTO audit_log (id, action, entity) VALUES (?, 'x', 'y')").run(row.id),
    ).toThrow();
    expect(getDb().select().from(auditLog).where(eq(auditLog.id, row.id)).get()).toEqual(row);
  });
});

// ---------------------------------------------------------------------------------------------

const ROOT = path.resolve(__dirname, "../../..");
const SCANNED = ["app/routes", "app/domain"];

/** Ways code could change or remove audit rows: Drizzle builders and raw SQL. */
const FORBIDDEN: { name: string; pattern: RegExp }[] = [
  { name: "Drizzle update(auditLog)", pattern: /\bupdate\s*\(\s*(?:[\w$]+\.)*auditLog\b/ },
  { name: "Drizzle delete(auditLog)", pattern: /\bdelete\s*\(\s*(?:[\w$]+\.)*auditLog\b/ },
  { name: "SQL UPDATE audit_log", pattern: /\bupdate\s+(?:or\s+\w+\s+)?["'`[]?audit_log\b/i },
  { name: "SQL DELETE FROM audit_log", pattern: /\bdelete\s+from\s+["'`[]?audit_log\b/i },
  { name: "SQL REPLACE INTO audit_log", pattern: /\b(?:insert\s+or\s+)?replace\s+into\s+["'`[]?audit_log\b/i },
  { name: "SQL DROP TRIGGER on the audit log", pattern: /\bdrop\s+trigger\b[^;]*audit_log/i },
];

function offences(source: string): string[] {
  return FORBIDDEN.filter((f) => f.pattern.test(source)).map((f) => f.name);
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx|js|jsx|mjs|cjs)$/.test(name)) out.push(full);
  }
  return out;
}

describe("no route or domain module changes or removes audit rows", () => {
  it("the scanner recognises every way of doing it (so the scan can fail)", () => {
    const samples = [
      "tx.update(auditLog).set({ action: 'x' })",
      "db.delete( schema.auditLog ).where(x)",
      "db.run(sql`UPDATE audit_log SET details = NULL`)",
      'db.$client.prepare("delete from `audit_log` where id = ?")',
      "db.run(sql`INSERT OR REPLACE INTO audit_log (id) VALUES (1)`)",
      "db.run(sql`DROP TRIGGER audit_log_no_update`)",
    ];
    for (const sample of samples) expect(offences(sample), sample).not.toEqual([]);
    expect(offences("recordAudit(tx, actor, { action: 'update', entity: 'audit_log' }); db.insert(auditLog)")).toEqual([]);
  });

  it("finds the modules to scan", () => {
    const files = SCANNED.flatMap((d) => sourceFiles(path.join(ROOT, d)));
    expect(files.some((f) => f.endsWith(path.join("app", "domain", "audit", "audit.server.ts")))).toBe(true);
    expect(files.some((f) => f.endsWith(path.join("app", "routes", "admin.audit._index.tsx")))).toBe(true);
  });

  it("no module under app/routes or app/domain updates or deletes audit_log", () => {
    const found: string[] = [];
    for (const dir of SCANNED) {
      for (const file of sourceFiles(path.join(ROOT, dir))) {
        for (const name of offences(readFileSync(file, "utf8"))) found.push(`${path.relative(ROOT, file)}: ${name}`);
      }
    }
    expect(found).toEqual([]);
  });
});
