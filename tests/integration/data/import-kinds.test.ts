/**
 * Each kind's happy path (rows land with the values given, in one transaction, audited once),
 * and re-importing the same file changes nothing.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, clientAssignments, clients, contacts, peerTutors, recognitions, substanceEvents, userRoles } from "#db/schema";
import { getDb } from "~/db.server";
import { buildWorld, consentAll, csv, HEADERS, run, userId, type World } from "./world";

let world: World;
const db = () => getDb();

beforeAll(async () => {
  world = await buildWorld(db());
});

const tutorsFile = csv([
  HEADERS.peer_tutors,
  "pt-zhao,测试辅导员赵（虚构）,dt-east,1,2025-01-15,TB-C1-901",
  "pt-sun,测试辅导员孙（虚构）,测试西区（虚构）,2,2025-10-01,tb-c2-902",
]);
const clientsFile = csv([
  HEADERS.clients,
  "DATA-001,小林（化名）,dt-east,测试东街道,2019-03-01,community_rehab,sw-wang,pt-zhao",
  "DATA-002,小陈（化名）,Test West District (fictional),,2020-07-15,voluntary,sw-li,",
  "DATA-003,\"小张, 小名（化名）\",dt-east,,2022-01-10,community_treatment,sw-wang,",
]);
const eventsFile = csv([HEADERS.substance_events, "DATA-001,2019-05-01,relapse", "DATA-001,2019-06-01,test_negative", "DATA-002,2021-02-03,use"]);
const recognitionsFile = csv([HEADERS.recognitions, "DATA-001,2022-06-01,sw-wang"]);
const contactsFile = csv([
  HEADERS.contacts,
  "DATA-001,2026-05-20 09:30,homeVisit,sw-wang,45,\"家访：情况稳定（虚构）\n第二行\"",
  "DATA-001,2026-05-21 14:00,phone,pt-zhao,10,电话联系（虚构）",
  "DATA-002,2026-05-22 10:00,phone,sw-li,5,'=不是公式（虚构）",
]);

describe("importing each kind", () => {
  it("imports peer tutors by login: the tutor record, the certificate's expiry from the programme, the peer-tutor role", () => {
    const r = run(db(), "peer_tutors", tutorsFile);
    expect(r).toMatchObject({ ok: true, rows: 2, inserted: 2, unchanged: 0 });
    const rows = db().select().from(peerTutors).orderBy(peerTutors.certificateNumber).all();
    expect(rows.map((t) => [t.certificateNumber, t.certifiedOn, t.expiresOn, t.status])).toEqual([
      ["TB-C1-901", "2025-01-15", "2027-01-15", "active"],
      ["TB-C2-902", "2025-10-01", "2027-10-01", "active"],
    ]);
    const roles = db().select().from(userRoles).where(eq(userRoles.userId, world.tutorUser)).all();
    expect(roles.map((x) => x.role).sort()).toEqual(["peer_tutor", "trainer"]);
  });

  it("imports clients with their social worker from the intake date and their peer tutor from today, risk medium", () => {
    const r = run(db(), "clients", clientsFile);
    expect(r).toMatchObject({ ok: true, rows: 3, inserted: 3, unchanged: 0, rowErrors: [] });
    const c1 = db().select().from(clients).where(eq(clients.caseNumber, "DATA-001")).get()!;
    expect(c1).toMatchObject({ alias: "小林（化名）", legalStatus: "community_rehab", intakeDate: "2019-03-01", status: "active", riskLevel: "medium" });
    expect(c1.subdistrictId).not.toBeNull();
    const team = db().select().from(clientAssignments).where(eq(clientAssignments.clientId, c1.id)).all();
    expect(team.map((a) => [a.kind, a.fromDate, a.toDate]).sort()).toEqual([
      ["peer_tutor", "2026-06-01", null],
      ["social_worker", "2019-03-01", null],
    ]);
    expect(db().select().from(clients).where(eq(clients.caseNumber, "DATA-003")).get()?.alias).toBe("小张, 小名（化名）");
  });

  it("imports substance events, recognitions and contacts once the clients have a consent", () => {
    consentAll(db(), world.adminId);
    expect(run(db(), "substance_events", eventsFile)).toMatchObject({ ok: true, inserted: 3 });
    expect(run(db(), "recognitions", recognitionsFile)).toMatchObject({ ok: true, inserted: 1 });
    expect(run(db(), "contacts", contactsFile)).toMatchObject({ ok: true, inserted: 3 });
    expect(db().select().from(substanceEvents).all()).toHaveLength(3);
    const rec = db().select().from(recognitions).get()!;
    expect(rec).toMatchObject({ recognisedOn: "2022-06-01", recognisedByUserId: userId(db(), "sw-wang") });
    const list = db().select().from(contacts).orderBy(contacts.happenedAt).all();
    // 09:30 in Shanghai is 01:30 UTC
    expect(list[0]).toMatchObject({ happenedAt: "2026-05-20T01:30:00.000Z", type: "homeVisit", durationMinutes: 45, summary: "家访：情况稳定（虚构）\n第二行", private: false });
    // the formula guard an export adds is taken off again
    expect(list[2]!.summary).toBe("=不是公式（虚构）");
  });

  it("records one audit row per import with the counts and the ids added", () => {
    const rows = db().select().from(auditLog).where(eq(auditLog.action, "import")).all();
    expect(rows.map((r) => r.entityId)).toEqual(["peer_tutors", "clients", "substance_events", "recognitions", "contacts"]);
    const clientsRow = rows[1]!;
    expect(clientsRow.actorLogin).toBe("test-import");
    expect(clientsRow.details).toMatchObject({ rows: 3, inserted: 3, unchanged: 0, added: { clients: { count: 3 }, client_assignments: { count: 4 } } });
  });

  it("changes nothing when the same files are imported again: every row is unchanged and no audit row is added but the import's own", () => {
    const count = (t: typeof clients | typeof contacts | typeof substanceEvents | typeof recognitions | typeof peerTutors | typeof clientAssignments) =>
      db().select().from(t).all().length;
    const before = [clients, clientAssignments, substanceEvents, recognitions, contacts, peerTutors].map((t) => count(t));
    for (const [kind, file, n] of [
      ["peer_tutors", tutorsFile, 2],
      ["clients", clientsFile, 3],
      ["substance_events", eventsFile, 3],
      ["recognitions", recognitionsFile, 1],
      ["contacts", contactsFile, 3],
    ] as const) {
      expect(run(db(), kind, file), kind).toMatchObject({ ok: true, rows: n, inserted: 0, unchanged: n });
    }
    expect([clients, clientAssignments, substanceEvents, recognitions, contacts, peerTutors].map((t) => count(t))).toEqual(before);
  });

  it("refuses a re-import whose key is recorded with other values, naming each differing column and the recorded value", () => {
    const r = run(db(), "clients", csv([HEADERS.clients, "DATA-001,小林改（化名）,dt-west,,2019-03-01,community_rehab,sw-li,pt-zhao"]));
    expect(r.ok).toBe(false);
    expect(r.rowErrors.map((e) => [e.line, e.column, e.key])).toEqual([
      [2, "alias", "data.differs?recorded=%E5%B0%8F%E6%9E%97%EF%BC%88%E5%8C%96%E5%90%8D%EF%BC%89"],
      [2, "district", "data.differs?recorded=dt-east"],
      [2, "subdistrict", expect.stringContaining("data.differs?recorded=")],
      [2, "social_worker", "data.differs?recorded=sw-wang"],
    ]);
    expect(db().select().from(clients).where(eq(clients.caseNumber, "DATA-001")).get()?.alias).toBe("小林（化名）");
  });

  it("a dry run checks every row and writes nothing", () => {
    const before = db().select().from(substanceEvents).all().length;
    const r = run(db(), "substance_events", csv([HEADERS.substance_events, "DATA-003,2023-01-01,test_positive"]), { dryRun: true });
    expect(r).toMatchObject({ ok: true, dryRun: true, inserted: 1 });
    expect(db().select().from(substanceEvents).all()).toHaveLength(before);
  });
});
