/**
 * Export → import into an empty database (with the same organisation and users) → export gives
 * byte-identical files, for every kind; exports never hold identities or private notes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase, type Db } from "#db/client";
import { clientAssignments, clientIdentities, clients, contacts, users } from "#db/schema";
import { getDb } from "~/db.server";
import { DATA_KINDS, exportHeader, exportRows, IMPORT_ORDER, type DataKind } from "~/domain/data";
import { csvHead, csvRecords } from "~/http/csv.server";
import { buildWorld, consentAll, csv, HEADERS, run, type World } from "./world";

function exported(db: Db, kind: DataKind): string {
  return csvHead(exportHeader(kind)) + csvRecords([...exportRows(db, kind)]);
}

const dir = mkdtempSync(path.join(tmpdir(), "tongban-roundtrip-"));
let world: World;
let target: Db;
afterAll(() => {
  target?.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeAll(async () => {
  const db = getDb();
  world = await buildWorld(db);
  const ok = (r: { ok: boolean; rowErrors: unknown[]; fileErrors: unknown[] }) => expect(r, JSON.stringify([r.fileErrors, r.rowErrors])).toMatchObject({ ok: true });
  ok(run(db, "peer_tutors", csv([HEADERS.peer_tutors, "pt-zhao,测试辅导员赵（虚构）,dt-east,1,2025-01-15,TB-C1-901", "pt-sun,测试辅导员孙（虚构）,dt-west,2,2025-10-01,TB-C2-902"])));
  const clientRows = Array.from({ length: 30 }, (_, i) => {
    const n = String(i + 1).padStart(3, "0");
    return `RT-${n},测试对象${n}（化名）,${i % 2 ? "dt-west" : "dt-east"},${i % 3 === 0 ? (i % 2 ? "测试西街道" : "测试东街道") : ""},20${10 + (i % 10)}-0${1 + (i % 9)}-1${i % 10},${["community_treatment", "community_rehab", "compulsory_rehab", "voluntary", "none"][i % 5]},${i % 2 ? "sw-li" : "sw-wang"},${i % 4 === 0 ? "pt-zhao" : i % 7 === 0 ? "pt-sun" : ""}`;
  });
  ok(run(db, "clients", csv([HEADERS.clients, ...clientRows])));
  consentAll(db, world.adminId, "2009-01-01");
  ok(run(db, "substance_events", csv([HEADERS.substance_events, "RT-002,2012-03-01,relapse", "RT-002,2012-03-01,test_positive", "RT-001,2010-05-05,test_negative", "RT-010,2020-01-01,facility_release"])));
  ok(run(db, "recognitions", csv([HEADERS.recognitions, "RT-001,2014-01-01,sw-wang", "RT-003,2016-01-01,sw-wang"])));
  ok(
    run(
      db,
      "contacts",
      csv([
        HEADERS.contacts,
        "RT-001,2026-05-20 09:30,homeVisit,sw-wang,45,\"家访，\"\"稳定\"\"（虚构）\n第二行\"",
        "RT-001,2026-05-20 09:30,phone,pt-zhao,10,同一分钟的另一条（虚构）",
        "RT-002,2026-05-19 23:59,letter,sw-li,0,=SUM(1;2) 不是公式（虚构）",
        "RT-004,2026-01-01 00:00,phone,sw-wang,5,-减号开头（虚构）",
      ]),
    ),
  );
  // what the pages write too: a contact at a time with seconds, a private note, a real identity
  const rt5 = db.select().from(clients).where(eq(clients.caseNumber, "RT-005")).get()!;
  const wang = db.select().from(users).where(eq(users.login, "sw-wang")).get()!;
  db.insert(contacts).values({ clientId: rt5.id, authorUserId: wang.id, type: "office", happenedAt: "2026-03-03T02:15:42.123Z", durationMinutes: 30, summary: "秒数不为零（虚构）" }).run();
  db.insert(contacts).values({ clientId: rt5.id, authorUserId: wang.id, type: "office", happenedAt: "2026-03-04T02:15:00.000Z", durationMinutes: 30, summary: "私密记录（虚构）", private: true }).run();
  db.insert(clientIdentities).values({ clientId: rt5.id, realName: "真名测试（虚构）", idNumber: "110101190001010000", phone: "13800000000" }).run();
  // a social worker changed after intake: the export holds the current one
  db.update(clientAssignments).set({ toDate: "2024-01-01" }).where(eq(clientAssignments.clientId, rt5.id)).run();
  db.insert(clientAssignments).values({ clientId: rt5.id, kind: "social_worker", personId: db.select().from(users).where(eq(users.login, "sw-li")).get()!.personId, fromDate: "2024-01-01" }).run();

  target = openDatabase(path.join(dir, "empty.db"));
  migrateDatabase(target);
  await buildWorld(target);
});

describe("export → import into an empty database → export", () => {
  it("gives byte-identical files for every kind", () => {
    const first = new Map(DATA_KINDS.map((k) => [k, exported(getDb(), k)]));
    for (const kind of IMPORT_ORDER) {
      const r = run(target, kind, new TextEncoder().encode(first.get(kind)!));
      expect(r, `${kind}: ${JSON.stringify(r.rowErrors.slice(0, 3))}`).toMatchObject({ ok: true, unchanged: 0 });
      if (kind === "clients") consentAll(target, 1, "2009-01-01");
    }
    for (const kind of DATA_KINDS) expect(exported(target, kind), kind).toBe(first.get(kind));
  });

  it("exports with a BOM, CRLF, the format's header, stable order and the formula guard", () => {
    const text = exported(getDb(), "contacts");
    expect(text.startsWith(`\ufeff${HEADERS.contacts}\r\n`)).toBe(true);
    const lines = text.split("\r\n");
    expect(lines[1]).toBe("RT-004,2026-01-01 00:00,phone,sw-wang,5,'-减号开头（虚构）");
    expect(text).toContain("RT-005,2026-03-03 10:15,office,sw-wang,30,秒数不为零（虚构）");
    expect(text).toContain("'=SUM(1;2) 不是公式（虚构）");
    expect(exported(getDb(), "clients").split("\r\n")[5]).toBe("RT-005,测试对象005（化名）,dt-east,,2014-05-14,none,sw-li,");
  });

  it("never exports identities or private notes", () => {
    const all = DATA_KINDS.map((k) => exported(getDb(), k)).join("\n");
    expect(all).not.toContain("真名测试");
    expect(all).not.toContain("110101190001010000");
    expect(all).not.toContain("私密记录");
  });

  it("re-importing an export into the database it came from changes nothing", () => {
    for (const kind of IMPORT_ORDER) {
      const r = run(getDb(), kind, new TextEncoder().encode(exported(getDb(), kind)));
      expect(r, kind).toMatchObject({ ok: true, inserted: 0 });
    }
  });
});
