/**
 * Notifications (issue 7 item 7): a mentee assigned tells the peer tutor; the daily sweep tells
 * holders of certificates expiring soon and the workers of clients overdue for a contact, once per
 * episode however often it runs; the `notify` command runs the sweep.
 */
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { auditLog, certificates, clients, notifications, users } from "#db/schema";
import { notifyCommand } from "../../../cli/notify";
import { getDb } from "~/db.server";
import { assignWorker } from "~/domain/clients";
import { runNotificationSweep } from "~/domain/notifications/sweep.server";
import { makeDistrict, makeUser } from "../../factories";
import { addContact, makeClient, makePeerTutor, makeSocialWorker, testCohortId } from "../../clients-factories";
import { makePerson } from "../../training-factories";

const TODAY = "2026-11-25";
const noticesOf = (userId: number, kind?: string) =>
  getDb()
    .select()
    .from(notifications)
    .where(kind ? and(eq(notifications.userId, userId), eq(notifications.kind, kind)) : eq(notifications.userId, userId))
    .all();

let A: number;
let admin: { id: number; login: string };
beforeAll(async () => {
  A = makeDistrict().id;
  admin = await makeUser([{ role: "admin", districtId: null }]);
});

describe("a mentee assigned", () => {
  it("tells the peer tutor, with the client's alias and a link to the client; assigning a social worker tells no tutor", async () => {
    const tutor = await makePeerTutor(A);
    const sw = await makeSocialWorker(A);
    const client = await makeClient({ districtId: A, alias: "测试通知对象（化名）" });
    const actor = { userId: admin.id, login: admin.login, ip: "" };
    assignWorker(getDb(), actor, { clientId: client.id, kind: "social_worker", personId: sw.personId, fromDate: "2026-11-01" });
    expect(noticesOf(sw.id)).toEqual([]);
    assignWorker(getDb(), actor, { clientId: client.id, kind: "peer_tutor", personId: tutor.personId, fromDate: "2026-11-01" });
    const notices = noticesOf(tutor.id, "menteeAssigned");
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ messageKey: "dashboard.notify.menteeAssigned", params: { alias: "测试通知对象（化名）" }, link: `/clients/${client.id}`, readAt: null });
  });

  it("a refused assignment (the tutor already assigned) writes no notice", async () => {
    const tutor = await makePeerTutor(A);
    const client = await makeClient({ districtId: A, peerTutorPersonId: tutor.personId });
    const actor = { userId: admin.id, login: admin.login, ip: "" };
    expect(() => assignWorker(getDb(), actor, { clientId: client.id, kind: "peer_tutor", personId: tutor.personId, fromDate: "2026-11-01" })).toThrow();
    expect(noticesOf(tutor.id)).toEqual([]);
  });
});

describe("the daily sweep", () => {
  it("tells a certificate's holder once when it enters the expiring-soon window, again only after a renewal enters it", async () => {
    const holder = await makeUser([{ role: "peer_tutor", districtId: A }]);
    const personId = getDb().select({ p: users.personId }).from(users).where(eq(users.id, holder.id)).get()!.p;
    const other = makePerson();
    const cohortId = testCohortId();
    const cert = (number: string, holderPersonId: number, expiresOn: string, revokedAt: string | null = null) =>
      getDb().insert(certificates).values({ number, verificationCode: number, holderPersonId, cohortId, issuedOn: "2023-01-01", expiresOn, revokedAt }).returning().get();
    const soon = cert("SWEEP-1", personId, "2027-01-10"); // 46 days ahead: inside the 60-day window
    cert("SWEEP-2", personId, "2027-03-01"); // beyond the window
    cert("SWEEP-3", personId, "2026-12-01", "2026-11-01T00:00:00.000Z"); // revoked
    cert("SWEEP-4", other.id, "2026-12-01"); // a holder without a login

    runNotificationSweep(getDb(), TODAY);
    const first = noticesOf(holder.id, "certificateExpiring");
    expect(first.map((n) => n.params)).toEqual([{ number: "SWEEP-1", date: "2027-01-10", episode: "SWEEP-1@2027-01-10" }]);
    runNotificationSweep(getDb(), TODAY);
    runNotificationSweep(getDb(), "2026-11-26");
    expect(noticesOf(holder.id, "certificateExpiring")).toHaveLength(1);

    // renewed to a later expiry: no notice until that one comes within the window
    getDb().update(certificates).set({ expiresOn: "2028-01-10" }).where(eq(certificates.id, soon.id)).run();
    runNotificationSweep(getDb(), "2026-12-01");
    expect(noticesOf(holder.id, "certificateExpiring")).toHaveLength(1);
    runNotificationSweep(getDb(), "2027-12-01");
    expect(noticesOf(holder.id, "certificateExpiring").map((n) => n.params.date)).toEqual(["2027-01-10", "2028-01-10"]);
  });

  it("tells the current social worker and peer tutor of an overdue open client once per episode; a contact ends the episode", async () => {
    const B = makeDistrict().id;
    const sw = await makeSocialWorker(B);
    const tutor = await makePeerTutor(B);
    const never = await makeClient({ districtId: B, socialWorkerPersonId: sw.personId, peerTutorPersonId: tutor.personId, alias: "测试逾期甲（化名）", intakeDate: "2026-01-05" });
    const lapsed = await makeClient({ districtId: B, socialWorkerPersonId: sw.personId, alias: "测试逾期乙（化名）", intakeDate: "2026-01-05" });
    addContact({ clientId: lapsed.id, authorUserId: sw.id, happenedAt: "2026-09-01T02:00:00.000Z" });
    const fresh = await makeClient({ districtId: B, socialWorkerPersonId: sw.personId, intakeDate: "2026-01-05" });
    addContact({ clientId: fresh.id, authorUserId: sw.id, happenedAt: "2026-11-24T02:00:00.000Z" });
    const closed = await makeClient({ districtId: B, socialWorkerPersonId: sw.personId, intakeDate: "2026-01-05" });
    getDb().update(clients).set({ status: "closed", closedOn: "2026-06-01" }).where(eq(clients.id, closed.id)).run();

    const result = runNotificationSweep(getDb(), TODAY);
    expect(result.clientOverdue).toBeGreaterThanOrEqual(3);
    const swNotices = noticesOf(sw.id, "clientOverdue");
    expect(swNotices.map((n) => n.link).sort()).toEqual([`/clients/${never.id}/contacts`, `/clients/${lapsed.id}/contacts`].sort());
    expect(swNotices.find((n) => n.link.includes(`/${lapsed.id}/`))).toMatchObject({ messageKey: "dashboard.notify.clientOverdue", params: { alias: "测试逾期乙（化名）", last: "2026-09-01" } });
    expect(swNotices.find((n) => n.link.includes(`/${never.id}/`))!.messageKey).toBe("dashboard.notify.clientNeverContacted");
    expect(noticesOf(tutor.id, "clientOverdue").map((n) => n.link)).toEqual([`/clients/${never.id}/contacts`]);

    // idempotent: the same day and the next write nothing new for these clients
    runNotificationSweep(getDb(), TODAY);
    runNotificationSweep(getDb(), "2026-11-26");
    expect(noticesOf(sw.id, "clientOverdue")).toHaveLength(2);

    // a contact ends the lapse; when it lapses again, a new notice
    addContact({ clientId: lapsed.id, authorUserId: sw.id, happenedAt: "2026-11-25T02:00:00.000Z" });
    runNotificationSweep(getDb(), "2026-11-27");
    expect(noticesOf(sw.id, "clientOverdue")).toHaveLength(2);
    runNotificationSweep(getDb(), "2027-01-10");
    expect(noticesOf(sw.id, "clientOverdue").filter((n) => n.link.includes(`/${lapsed.id}/`)).map((n) => n.params.last)).toEqual(["2026-09-01", "2026-11-25"]);
  });

  it("records one audit event for a run that wrote notices and none for a run that wrote nothing", () => {
    const count = () => getDb().select().from(auditLog).where(and(eq(auditLog.entity, "notification"), eq(auditLog.action, "sweep"))).all().length;
    runNotificationSweep(getDb(), "2027-02-01");
    const before = count();
    const again = runNotificationSweep(getDb(), "2027-02-01");
    expect(again).toEqual({ certificateExpiring: 0, clientOverdue: 0 });
    expect(count()).toBe(before);
  });
});

describe("the notify command", () => {
  it("runs the sweep for a given day and refuses a date that is not a date", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const ctx = (date?: string) => ({ positionals: [], values: date === undefined ? {} : { date }, db: () => getDb(), databaseUrl: "" });
    try {
      await notifyCommand.run(ctx("2027-02-02"));
      expect(log.mock.calls.at(-1)![0]).toMatch(/^notify 2027-02-02: \d+ certificate-expiry notices, \d+ overdue-client notices$/);
      await expect(Promise.resolve().then(() => notifyCommand.run(ctx("2027-02-30")))).rejects.toThrow(/--date must be a date/);
    } finally {
      log.mockRestore();
    }
  });
});
