/**
 * The contact log (帮教记录): recording a contact and listing a client's contacts. A contact needs a
 * current consent on the day it happened and the permission to add one; private notes are filtered
 * in the query (contactVisibility). Audit rows name the client and the facts, never the summary.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client";
import { contacts, persons, users } from "#db/schema";
import { recordAudit, type Actor } from "~/domain/audit";
import type { ContactType } from "~/domain/settings";
import { DomainError } from "~/domain/shared/errors";
import { isoDate, optionalText, text } from "~/domain/shared/fields";
import { contactVisibility, type ClientAccess, type Viewer } from "./access.server";
import { requireCurrentConsent } from "./assignments.server";
import {
  CONTACT_DURATION_MAX,
  CONTACT_DURATION_MIN,
  CONTACT_MOODS,
  CONTACT_PARTICIPANTS,
  CONTACT_RISK_MAX,
  CONTACT_SUMMARY_MAX,
  utcFromLocalInput,
  type ContactMood,
  type ContactParticipant,
} from "./contact-fields";
import { localDate } from "./dates";
import { deleteContactDraft, purgeOldDrafts } from "./drafts.server";

export type ContactInput = {
  type: string;
  /** UTC ISO instant */
  happenedAt: string;
  durationMinutes: number;
  participants: ContactParticipant[];
  summary: string;
  mood: ContactMood | null;
  riskObservation: string;
  /** YYYY-MM-DD or null */
  nextContactDue: string | null;
  private: boolean;
};

export type ContactRules = { types: readonly ContactType[]; timeZone: string; now: Date };

const activeTypeIds = (types: readonly ContactType[]) => types.filter((t) => t.active).map((t) => t.id);

/**
 * The contact form's schema. Input: the form's strings, with `participants` as the array of checked
 * boxes. Output: a ContactInput (the time converted from the program's time zone to UTC).
 */
export function contactFormSchema(rules: ContactRules) {
  const typeIds = activeTypeIds(rules.types);
  const today = localDate(rules.now, rules.timeZone);
  return z.object({
    type: z
      .string({ error: "form.unknownChoice" })
      .trim()
      .refine((v) => typeIds.includes(v), { error: "form.unknownChoice" }),
    happenedAt: z
      .string({ error: "form.required" })
      .trim()
      .min(1, { error: "form.required" })
      .transform((v, ctx) => {
        const utc = utcFromLocalInput(v, rules.timeZone);
        if (!utc) {
          ctx.addIssue({ code: "custom", message: "contacts.invalidDateTime" });
          return z.NEVER;
        }
        if (utc > rules.now.toISOString()) {
          ctx.addIssue({ code: "custom", message: "contacts.inFuture" });
          return z.NEVER;
        }
        return utc;
      }),
    durationMinutes: z
      .string({ error: "form.required" })
      .trim()
      .min(1, { error: "form.required" })
      .regex(/^\d{1,6}$/, { error: "form.notANumber" })
      .transform(Number)
      .pipe(
        z
          .number()
          .int()
          .min(CONTACT_DURATION_MIN, { error: `form.numberRange?min=${CONTACT_DURATION_MIN}&max=${CONTACT_DURATION_MAX}` })
          .max(CONTACT_DURATION_MAX, { error: `form.numberRange?min=${CONTACT_DURATION_MIN}&max=${CONTACT_DURATION_MAX}` }),
      ),
    participants: z
      .array(z.enum(CONTACT_PARTICIPANTS, { error: "form.unknownChoice" }), { error: "form.unknownChoice" })
      .max(CONTACT_PARTICIPANTS.length * 2, { error: "form.unknownChoice" })
      .optional()
      .transform((list) => [...new Set(list ?? [])]),
    summary: text({ max: CONTACT_SUMMARY_MAX, multiline: true }),
    mood: z
      .union([z.literal(""), z.enum(CONTACT_MOODS)], { error: "form.unknownChoice" })
      .optional()
      .transform((v) => (v ? v : null)),
    riskObservation: optionalText({ max: CONTACT_RISK_MAX, multiline: true }),
    nextContactDue: z
      .string()
      .optional()
      .transform((s) => (s ?? "").trim())
      .pipe(z.union([z.literal("").transform(() => null), isoDate], { error: "form.invalidDate" }))
      .refine((d) => d === null || d >= today, { error: "contacts.nextDueInPast" }),
    private: z
      .string()
      .optional()
      .transform((v) => v === "on" || v === "true" || v === "1"),
  });
}

/** The same rules as the form, for callers without one (imports, scripts). Throws DomainError. */
function assertContactInput(input: ContactInput, rules: ContactRules): void {
  if (!activeTypeIds(rules.types).includes(input.type)) throw new DomainError("form.unknownChoice", "type");
  const at = new Date(input.happenedAt);
  if (Number.isNaN(at.getTime())) throw new DomainError("contacts.invalidDateTime", "happenedAt");
  if (at.getTime() > rules.now.getTime()) throw new DomainError("contacts.inFuture", "happenedAt");
  const d = input.durationMinutes;
  if (!Number.isInteger(d) || d < CONTACT_DURATION_MIN || d > CONTACT_DURATION_MAX) {
    throw new DomainError(`form.numberRange?min=${CONTACT_DURATION_MIN}&max=${CONTACT_DURATION_MAX}`, "durationMinutes");
  }
  if (input.participants.some((p) => !(CONTACT_PARTICIPANTS as readonly string[]).includes(p))) throw new DomainError("form.unknownChoice", "participants");
  if (input.mood !== null && !(CONTACT_MOODS as readonly string[]).includes(input.mood)) throw new DomainError("form.unknownChoice", "mood");
  const summary = text({ max: CONTACT_SUMMARY_MAX, multiline: true }).safeParse(input.summary);
  if (!summary.success) throw new DomainError(summary.error.issues[0]?.message ?? "form.invalid", "summary");
  const risk = optionalText({ max: CONTACT_RISK_MAX, multiline: true }).safeParse(input.riskObservation);
  if (!risk.success) throw new DomainError(risk.error.issues[0]?.message ?? "form.invalid", "riskObservation");
  if (input.nextContactDue !== null) {
    if (!isoDate.safeParse(input.nextContactDue).success) throw new DomainError("form.invalidDate", "nextContactDue");
    if (input.nextContactDue < localDate(rules.now, rules.timeZone)) throw new DomainError("contacts.nextDueInPast", "nextContactDue");
  }
}

/**
 * Records a contact with the client. Refused (DomainError) unless the actor may add contacts to
 * this client, the client's case is open, the input keeps the rules, and a current consent covers
 * the day of the contact (clients.noConsent). One transaction: the contact, the discarding of the
 * author's draft for this client, the purge of drafts older than 7 days, and the audit row (which
 * holds the client id and facts of the contact, never its summary or observations). Returns the id.
 */
export function recordContact(db: Db, actor: Actor, access: ClientAccess, input: ContactInput, rules: ContactRules): number {
  if (actor.userId === null || !access.can.addContact) throw new DomainError("contacts.notAllowed");
  if (access.client.status === "closed") throw new DomainError("contacts.clientClosed");
  assertContactInput(input, rules);
  const authorUserId = actor.userId;
  const clientId = access.client.id;
  return db.transaction((tx) => {
    requireCurrentConsent(tx, clientId, localDate(input.happenedAt, rules.timeZone));
    const id = tx
      .insert(contacts)
      .values({
        clientId,
        authorUserId,
        type: input.type,
        happenedAt: input.happenedAt,
        durationMinutes: input.durationMinutes,
        participants: input.participants,
        summary: input.summary,
        mood: input.mood,
        riskObservation: input.riskObservation || null,
        private: input.private,
        nextContactDue: input.nextContactDue,
      })
      .returning({ id: contacts.id })
      .get().id;
    const draftDiscarded = deleteContactDraft(tx, authorUserId, clientId);
    purgeOldDrafts(tx, actor, rules.now);
    recordAudit(tx, actor, {
      action: "create",
      entity: "contact",
      entityId: id,
      details: {
        clientId,
        type: input.type,
        happenedAt: input.happenedAt,
        durationMinutes: input.durationMinutes,
        private: input.private,
        nextContactDue: input.nextContactDue,
        draftDiscarded,
      },
    });
    return id;
  });
}

export type ContactRow = {
  id: number;
  type: string;
  happenedAt: string;
  durationMinutes: number;
  participants: string[];
  summary: string;
  mood: string | null;
  riskObservation: string | null;
  private: boolean;
  nextContactDue: string | null;
  authorName: string;
  byViewer: boolean;
};

/**
 * The client's contacts the viewer may read, newest first, one page. Private notes of others are
 * left out in the query (contactVisibility), and so are they from the total.
 */
export function listContacts(
  db: Pick<Db, "select">,
  access: ClientAccess,
  viewer: Viewer,
  page: { limit: number; offset: number },
): { rows: ContactRow[]; total: number } {
  if (!access.can.readContacts) return { rows: [], total: 0 };
  const where = and(eq(contacts.clientId, access.client.id), contactVisibility(access, viewer, contacts));
  const rows = db
    .select({
      id: contacts.id,
      type: contacts.type,
      happenedAt: contacts.happenedAt,
      durationMinutes: contacts.durationMinutes,
      participants: contacts.participants,
      summary: contacts.summary,
      mood: contacts.mood,
      riskObservation: contacts.riskObservation,
      private: contacts.private,
      nextContactDue: contacts.nextContactDue,
      authorUserId: contacts.authorUserId,
      authorName: persons.displayName,
    })
    .from(contacts)
    .innerJoin(users, eq(users.id, contacts.authorUserId))
    .innerJoin(persons, eq(persons.id, users.personId))
    .where(where)
    .orderBy(desc(contacts.happenedAt), desc(contacts.id))
    .limit(page.limit)
    .offset(page.offset)
    .all()
    .map(({ authorUserId, ...r }) => ({ ...r, participants: Array.isArray(r.participants) ? r.participants : [], byViewer: authorUserId === viewer.id }));
  const total = db.select({ n: sql<number>`count(*)` }).from(contacts).where(where).get()?.n ?? 0;
  return { rows, total };
}

/** The id of the latest contact this user recorded for the client (0 when none): changes only when they save one. */
export function lastContactIdBy(db: Pick<Db, "select">, clientId: number, userId: number): number {
  return (
    db
      .select({ id: sql<number | null>`max(${contacts.id})` })
      .from(contacts)
      .where(and(eq(contacts.clientId, clientId), eq(contacts.authorUserId, userId)))
      .get()?.id ?? 0
  );
}
