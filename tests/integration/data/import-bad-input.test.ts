/**
 * Bad files and bad rows: a clear reason with line and column, and nothing written — not even
 * the good rows of the same file.
 */
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, clientAssignments, clients, substanceEvents } from "#db/schema";
import { getDb } from "~/db.server";
import { importCsv, problemLine } from "~/domain/data";
import { buildWorld, consentAll, csv, HEADERS, IMPORTER, NOW, run, type World } from "./world";

let world: World;
const db = () => getDb();
const counts = () => ({
  clients: db().select().from(clients).all().length,
  assignments: db().select().from(clientAssignments).all().length,
  events: db().select().from(substanceEvents).all().length,
  audit: db().select().from(auditLog).all().length,
});

beforeAll(async () => {
  world = await buildWorld(db());
  expect(run(db(), "clients", csv([HEADERS.clients, "BAD-000,小周（化名）,dt-east,,2020-01-01,voluntary,sw-wang,"])).ok).toBe(true);
  consentAll(db(), world.adminId);
});

const GOOD = "BAD-100,小吴（化名）,dt-east,,2021-01-01,voluntary,sw-wang,";

describe("files that are not a CSV of the kind", () => {
  it.each([
    ["GBK bytes (not UTF-8)", new Uint8Array([...new TextEncoder().encode(`${HEADERS.clients}\r\nBAD-1,`), 0xd0, 0xa1, 0xc1, 0xd6, 0xa3, 0xa8, 0xbb, 0xaf, 0xc3, 0xfb, 0xa3, 0xa9, ...new TextEncoder().encode(",dt-east,,2020-01-01,voluntary,sw-wang,\r\n")]), "data.file.notUtf8"],
    ["UTF-16 with BOM", new Uint8Array([0xff, 0xfe, ...new Uint8Array(new Uint16Array([...HEADERS.clients].map((c) => c.charCodeAt(0))).buffer)]), "data.file.notUtf8"],
    ["an Excel workbook (zip)", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), "data.file.excel"],
    ["binary bytes", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]), "data.file.binary"],
    ["an empty file", new Uint8Array(), "data.file.empty"],
    ["only a BOM", new Uint8Array([0xef, 0xbb, 0xbf]), "data.file.empty"],
  ])("refuses %s with one reason and writes nothing", (_name, bytes, key) => {
    const before = counts();
    const r = run(db(), "clients", bytes);
    expect(r.ok).toBe(false);
    expect(r.fileErrors.map((e) => e.key)).toEqual([key]);
    expect(counts()).toEqual(before);
  });

  it("refuses broken quoting with the line it is near", () => {
    const r = run(db(), "clients", csv([HEADERS.clients, GOOD, 'BAD-2,"unclosed,dt-east,,2020-01-01,voluntary,sw-wang,']));
    expect(r.ok).toBe(false);
    expect(r.fileErrors[0]!.key).toMatch(/^data\.file\.quoteNotClosed\?line=\d+$/);
    const r2 = run(db(), "clients", csv([HEADERS.clients, GOOD, 'BAD-3,"x"y,dt-east,,2020-01-01,voluntary,sw-wang,']));
    expect(r2.fileErrors[0]!.key).toBe("data.file.badQuote?line=3");
  });

  it("names missing, unknown and repeated columns in the header and writes nothing", () => {
    const before = counts();
    const r = run(db(), "clients", csv(["case_number,alias,district,intake_date,legal_status,social_worker,peer_tutor,risk,alias", GOOD]));
    expect(r.ok).toBe(false);
    expect(r.rows).toBe(0);
    expect(r.fileErrors.map((e) => problemLine(e))).toEqual([
      "line 1: Missing columns: subdistrict.",
      "line 1: Unknown columns: risk.",
      "line 1: Columns given twice: alias.",
      `line 1: The header must be exactly: ${HEADERS.clients.split(",").join(", ")}.`,
    ]);
    expect(counts()).toEqual(before);
  });

  it("refuses a file of another kind", () => {
    const r = run(db(), "substance_events", csv([HEADERS.clients, GOOD]));
    expect(r.fileErrors[0]!.key).toBe("data.header.missing?columns=date%2C+kind");
  });

  it("accepts the columns in any order and a BOM", () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...csv(["kind,case_number,date", "use,BAD-000,2024-02-02"])]);
    const r = run(db(), "substance_events", bytes, { dryRun: true });
    expect(r).toMatchObject({ ok: true, rows: 1, inserted: 1 });
  });
});

describe("bad rows: every one listed, nothing written", () => {
  it("lists each bad row with its line, column and reason, counting lines of quoted line breaks, and writes none of the good ones", () => {
    const before = counts();
    const r = run(
      db(),
      "clients",
      csv([
        HEADERS.clients,
        GOOD,
        "BAD-101,\"多行\n别名（化名）\",dt-east,,2099-01-01,voluntary,sw-wang,",
        "BAD-102,小郑（化名）,dt-nowhere,,2020-01-01,voluntary,sw-wang,",
        "BAD-103,小冯（化名）,dt-east,测试西街道,2020-01-01,voluntary,sw-wang,",
        "BAD-104,小何（化名）,dt-east,,2020-02-30,parole,nobody,",
        "BAD-105,小吕（化名）,dt-east,,2020-01-01,voluntary,coord-qian,sw-li",
        "BAD-106,小施（化名）,dt-east,,2020-01-01,voluntary,sw-gone,",
        GOOD,
        "BAD-107,小孔（化名）,dt-east,,2020-01-01,voluntary",
        `BAD-108,${"长".repeat(41)},dt-east,,2020-01-01,voluntary,sw-wang,`,
        "BAD-109,小曹\u0007（化名）,dt-east,,2020-01-01,voluntary,sw-wang,",
        "BAD-110,小袁（化名）,dt-east,,2099-01-01,voluntary,sw-wang,",
      ]),
    );
    expect(r.ok).toBe(false);
    expect(r.rows).toBe(12);
    expect(r.badRows).toBe(11);
    expect(r.rowErrors.map((e) => [e.line, e.column, e.key.split("?")[0]])).toEqual([
      [3, "alias", "form.controlChars"],
      [5, "district", "data.unknownDistrict"],
      [6, "subdistrict", "clients.intake.subdistrictNotInDistrict"],
      [7, "intake_date", "form.invalidDate"],
      [7, "legal_status", "data.oneOf"],
      [8, "social_worker", "clients.assign.notSocialWorker"],
      [8, "peer_tutor", "clients.assign.notActivePeerTutor"],
      [9, "social_worker", "clients.assign.notSocialWorker"],
      [10, "case_number", "data.duplicateInFile"],
      [11, "", "data.row.width"],
      [12, "alias", "form.tooLong"],
      [13, "alias", "form.controlChars"],
      [14, "intake_date", "clients.dateInFuture"],
    ]);
    expect(counts()).toEqual(before);
  });

  it("reports unknown logins, case numbers and dates in the future for events, and writes none", () => {
    const before = counts();
    const r = run(
      db(),
      "substance_events",
      csv([HEADERS.substance_events, "BAD-000,2024-01-01,relapse", "NO-SUCH-CASE,2024-01-01,use", "BAD-000,2026-06-02,use", "BAD-000,2019-12-31,use", "BAD-000,2024-01-01,relapse"]),
    );
    expect(r.rowErrors.map((e) => problemLine(e))).toEqual([
      "line 3, column case_number: No client has the case number NO-SUCH-CASE.",
      "line 4, column date: The date cannot be in the future.",
      "line 5, column date: The date is before the client's intake (2020-01-01).",
      "line 6, column date: This record appears earlier in the file.",
    ]);
    expect(counts()).toEqual(before);
    const who = run(db(), "recognitions", csv([HEADERS.recognitions, "BAD-000,2024-01-01,ghost-user", "BAD-000,2024-01-01,coord-qian"]));
    expect(who.rowErrors.map((e) => problemLine(e))).toEqual([
      "line 2, column recognised_by: No user has the login ghost-user.",
      "line 3, column recognised_by: This login is not a social worker.",
    ]);
  });

  it("refuses a contact without a consent on its day, in the future, or by someone who is not a case worker", () => {
    const r = run(
      db(),
      "contacts",
      csv([
        HEADERS.contacts,
        "BAD-000,2019-12-01 10:00,phone,sw-wang,5,同意之前（虚构）",
        "BAD-000,2026-06-01 12:30,phone,sw-wang,5,未来（虚构）",
        "BAD-000,2026-05-01 10:00,phone,coord-qian,5,协调员（虚构）",
        "BAD-000,2026-05-01 25:00,phone,sw-wang,5,时间错（虚构）",
        "BAD-000,2026-05-01 10:00,teleport,sw-wang,721,类型错（虚构）",
      ]),
    );
    expect(r.rowErrors.map((e) => [e.line, e.column, e.key.split("?")[0]])).toEqual([
      [2, "case_number", "clients.noConsent"],
      [3, "happened_at", "contacts.inFuture"],
      [4, "author", "data.notCaseWorker"],
      [5, "happened_at", "data.dateTimeFormat"],
      [6, "type", "data.oneOf"],
      [6, "duration_minutes", "form.numberRange"],
    ]);
  });

  it("refuses peer tutors whose name does not match the login, an unknown cohort or a taken certificate number", () => {
    expect(run(db(), "peer_tutors", csv([HEADERS.peer_tutors, "pt-zhao,测试辅导员赵（虚构）,dt-east,1,2025-01-15,TB-C1-901"])).ok).toBe(true);
    const r = run(
      db(),
      "peer_tutors",
      csv([HEADERS.peer_tutors, "pt-sun,别人（虚构）,dt-east,1,2025-01-15,TB-C1-950", "pt-sun,测试辅导员孙（虚构）,dt-east,7,2025-01-15,TB-C1-951", "pt-sun,测试辅导员孙（虚构）,dt-east,1,2025-01-15,tb-c1-901"]),
    );
    expect(r.rowErrors.map((e) => problemLine(e))).toEqual([
      "line 2, column display_name: The login belongs to 测试辅导员孙（虚构）.",
      "line 3, column cohort_number: There is no cohort 7.",
      "line 4, column certificate_number: This certificate number is already recorded for someone else.",
    ]);
  });

  it("reads a file from disk the same way, and a substance event needs a current consent", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tongban-data-"));
    const file = path.join(dir, "c.csv");
    writeFileSync(file, csv([HEADERS.clients, "BAD-200,小任（化名）,dt-west,,2020-01-01,none,sw-li,"]));
    expect(importCsv(db(), IMPORTER, { kind: "clients", source: { path: file }, now: NOW })).toMatchObject({ ok: true, inserted: 1 });
    const r = run(db(), "substance_events", csv([HEADERS.substance_events, "BAD-200,2021-01-01,use"]));
    expect(r.rowErrors.map((e) => e.key)).toEqual(["clients.noConsent"]);
  });
});
