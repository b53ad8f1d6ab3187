/**
 * Optional notification e-mail: with SMTP_URL set, the same events that write in-app
 * notifications send an e-mail (nodemailer's JSON transport stands in for the SMTP server) to
 * recipients with an address, in their language; with SMTP_URL unset, nothing is sent. A failing
 * server is logged without personal data and never breaks the write; a rolled-back change mails
 * nothing.
 */
import nodemailer, { type Transporter } from "nodemailer";
import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { notifications, users } from "#db/schema";
import { getDb } from "~/db.server";
import { assignWorker } from "~/domain/clients";
import { flushNotificationMail, setMailTransportFactory } from "~/domain/notifications/email.server";
import { notify } from "~/domain/sessions/notifications.server";
import { resetEnvCache } from "~/env.server";
import { makeDistrict, makeUser } from "../../factories";
import { makeClient, makePeerTutor } from "../../clients-factories";

type Sent = { to: string; subject: string; text: string; from: string };

let A: number;
let actor: { userId: number; login: string; ip: string };
let sent: Sent[];
let factoryCalls: number;

function configure(smtp: string | undefined, behaviour: "json" | "fail" = "json") {
  if (smtp) process.env.SMTP_URL = smtp;
  else delete process.env.SMTP_URL;
  resetEnvCache();
  sent = [];
  factoryCalls = 0;
  setMailTransportFactory(() => {
    factoryCalls++;
    const t: Transporter = nodemailer.createTransport({ jsonTransport: true });
    const real = t.sendMail.bind(t);
    vi.spyOn(t, "sendMail").mockImplementation((async (mail: Sent) => {
      if (behaviour === "fail") throw Object.assign(new Error(`connection refused for ${mail.to}`), { code: "ECONNREFUSED" });
      sent.push(mail);
      return real(mail);
    }) as never);
    return t;
  });
}

async function tutorWithEmail(email: string | null, locale: "en" | "zh-CN" = "en") {
  const tutor = await makePeerTutor(A);
  getDb().update(users).set({ email, locale }).where(eq(users.id, tutor.id)).run();
  return tutor;
}

async function assignMentee(tutorPersonId: number, alias = "Test Client Mail (fictional)") {
  const client = await makeClient({ districtId: A, alias });
  assignWorker(getDb(), actor, { clientId: client.id, kind: "peer_tutor", personId: tutorPersonId, fromDate: "2026-11-01" });
  await flushNotificationMail();
  return client;
}

beforeAll(async () => {
  A = makeDistrict().id;
  const admin = await makeUser([{ role: "admin", districtId: null }]);
  actor = { userId: admin.id, login: admin.login, ip: "" };
});

afterEach(() => {
  configure(undefined);
  setMailTransportFactory(null);
});

describe("notification e-mail", () => {
  it("when SMTP is configured, a mentee assignment e-mails the tutor in their language, from MAIL_FROM, with the link", async () => {
    configure("smtp://mail.example.invalid:2525");
    const tutor = await tutorWithEmail("tutor-en@example.invalid", "en");
    const client = await assignMentee(tutor.personId);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toBe("tutor-en@example.invalid");
    expect(sent[0]!.from).toBe("tongban@localhost.localdomain");
    expect(sent[0]!.subject).toBe("Tongban: a new notification");
    expect(sent[0]!.text).toContain("Test Client Mail (fictional) is now your mentee.");
    expect(sent[0]!.text).toContain(`/clients/${client.id}`);

    const zh = await tutorWithEmail("tutor-zh@example.invalid", "zh-CN");
    await assignMentee(zh.personId, "测试邮件对象（化名）");
    expect(sent[1]!.subject).toBe("同伴：您有一条新通知");
    expect(sent[1]!.text).toContain("测试邮件对象（化名） 现在是您的帮教对象。");
  });

  it("when SMTP is configured, a person without an e-mail address gets the in-app notice only", async () => {
    configure("smtp://mail.example.invalid:2525");
    const tutor = await tutorWithEmail(null);
    await assignMentee(tutor.personId);
    expect(sent).toEqual([]);
    expect(getDb().select().from(notifications).where(eq(notifications.userId, tutor.id)).all()).toHaveLength(1);
  });

  it("when SMTP is not configured, nothing is sent and no transport is built, the in-app notice is written", async () => {
    configure(undefined);
    const tutor = await tutorWithEmail("tutor-off@example.invalid");
    await assignMentee(tutor.personId);
    expect(factoryCalls).toBe(0);
    expect(sent).toEqual([]);
    expect(getDb().select().from(notifications).where(eq(notifications.userId, tutor.id)).all()).toHaveLength(1);
  });

  it("a failing mail server is logged in one line without the address or the text, and the assignment and notice stay written", async () => {
    configure("smtp://mail.example.invalid:2525", "fail");
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const tutor = await tutorWithEmail("tutor-fail@example.invalid");
      await assignMentee(tutor.personId, "Test Client Fail (fictional)");
      expect(getDb().select().from(notifications).where(eq(notifications.userId, tutor.id)).all()).toHaveLength(1);
      expect(errors).toHaveBeenCalledTimes(1);
      const line = String(errors.mock.calls[0]![0]);
      expect(line).toContain("ECONNREFUSED");
      expect(line).not.toContain("tutor-fail@example.invalid");
      expect(line).not.toContain("Test Client Fail");
    } finally {
      errors.mockRestore();
    }
  });

  it("a change rolled back after its notice was written e-mails nothing", async () => {
    configure("smtp://mail.example.invalid:2525");
    const tutor = await tutorWithEmail("tutor-rollback@example.invalid");
    expect(() =>
      getDb().transaction((tx) => {
        notify(tx, [tutor.id], { kind: "test", messageKey: "dashboard.notify.menteeAssigned", params: { alias: "x" } });
        throw new Error("the change failed after notifying");
      }),
    ).toThrow();
    await flushNotificationMail();
    expect(sent).toEqual([]);
  });
});
