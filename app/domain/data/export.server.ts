/**
 * CSV export of whole tables (DESIGN.md §7), in the import's format, so that export → import into
 * an empty database (with the same organisation and users) → export gives identical files:
 * canonical values (district codes, subdistricts' Chinese names, logins, dates YYYY-MM-DD,
 * contact times "YYYY-MM-DD HH:MM" on the program's wall clock) and an order that depends only on
 * the values (natural keys), never on row ids of one database.
 *
 * Rows are read in batches of 1000 by keyset (each batch a finished query: an open cursor would
 * block the connection for every other request while a download is being read).
 *
 * Never exported: identities (not in any format), private contact notes (their author and the
 * client's social worker alone may read them, and the format has no "private" column: re-imported
 * they would lose the flag), and anything not in the format.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "#db/client";
import { recordAudit, type Actor } from "~/domain/audit";
import { getSettings } from "~/domain/settings";
import { COLUMNS, type DataKind } from "./formats";

const BATCH = 1000;

type Cell = string | number;

/** Runs `query(after)` repeatedly, each time after the last row of the previous batch. */
function* batches<R extends Record<string, unknown>>(query: (after: R | null) => R[], toCells: (r: R) => Cell[]): Generator<Cell[]> {
  let after: R | null = null;
  for (;;) {
    const rows = query(after);
    for (const r of rows) yield toCells(r);
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1]!;
  }
}

/** The program's wall-clock minute of a UTC instant, "YYYY-MM-DD HH:MM". */
function wallClockMinute(format: Intl.DateTimeFormat, iso: string): string {
  const parts = format.formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}`;
}

const keyset = (cols: SQL, values: unknown[] | null): SQL =>
  values ? sql`(${cols}) > (${sql.join(values.map((v) => sql`${v}`), sql`, `)})` : sql`1`;

/** The rows of an export, header excluded, in canonical order, read lazily. */
export function exportRows(db: Db, kind: DataKind): Iterable<Cell[]> {
  switch (kind) {
    case "clients": {
      type R = { caseNumber: string; alias: string; district: string; subdistrict: string; intakeDate: string; legalStatus: string; sw: string; pt: string };
      return batches<R>(
        (after) =>
          db.all<R>(sql`
            select c.case_number as caseNumber, c.alias as alias, d.code as district, coalesce(s.name_zh, '') as subdistrict,
              c.intake_date as intakeDate, c.legal_status as legalStatus,
              coalesce((select u.login from client_assignments a join users u on u.person_id = a.person_id
                where a.client_id = c.id and a.kind = 'social_worker' and a.to_date is null), '') as sw,
              coalesce((select u.login from client_assignments a join users u on u.person_id = a.person_id
                where a.client_id = c.id and a.kind = 'peer_tutor' and a.to_date is null), '') as pt
            from clients c join districts d on d.id = c.district_id left join subdistricts s on s.id = c.subdistrict_id
            where ${after ? sql`c.case_number > ${after.caseNumber}` : sql`1`}
            order by c.case_number limit ${BATCH}`),
        (r) => [r.caseNumber, r.alias, r.district, r.subdistrict, r.intakeDate, r.legalStatus, r.sw, r.pt],
      );
    }
    case "substance_events": {
      type R = { caseNumber: string; date: string; kind: string };
      return batches<R>(
        (after) =>
          db.all<R>(sql`
            select c.case_number as caseNumber, e.date as date, e.kind as kind
            from substance_events e join clients c on c.id = e.client_id
            where ${keyset(sql`c.case_number, e.date, e.kind`, after && [after.caseNumber, after.date, after.kind])}
            order by c.case_number, e.date, e.kind limit ${BATCH}`),
        (r) => [r.caseNumber, r.date, r.kind],
      );
    }
    case "recognitions": {
      type R = { caseNumber: string; on: string; login: string };
      return batches<R>(
        (after) =>
          db.all<R>(sql`
            select c.case_number as caseNumber, r.recognised_on as "on", u.login as login
            from recognitions r join clients c on c.id = r.client_id join users u on u.id = r.recognised_by_user_id
            where ${keyset(sql`c.case_number, r.recognised_on`, after && [after.caseNumber, after.on])}
            order by c.case_number, r.recognised_on limit ${BATCH}`),
        (r) => [r.caseNumber, r.on, r.login],
      );
    }
    case "contacts": {
      const { timeZone } = getSettings(db);
      const format = new Intl.DateTimeFormat("en-CA", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
      });
      type R = { id: number; at: string; caseNumber: string; type: string; login: string; duration: number; summary: string };
      return batches<R>(
        (after) =>
          db.all<R>(sql`
            select k.id as id, substr(k.happened_at, 1, 16) as at, c.case_number as caseNumber, k.type as type, u.login as login,
              k.duration_minutes as duration, k.summary as summary
            from contacts k join clients c on c.id = k.client_id join users u on u.id = k.author_user_id
            where k.private = 0
              ${after ? sql`and k.happened_at >= ${after.at} and (substr(k.happened_at, 1, 16), c.case_number, u.login, k.type, k.id) > (${after.at}, ${after.caseNumber}, ${after.login}, ${after.type}, ${after.id})` : sql``}
            order by substr(k.happened_at, 1, 16), c.case_number, u.login, k.type, k.id limit ${BATCH}`),
        (r) => [r.caseNumber, wallClockMinute(format, `${r.at}:00.000Z`), r.type, r.login, r.duration, r.summary],
      );
    }
    case "peer_tutors": {
      type R = { login: string; name: string; district: string; cohort: number; on: string; number: string };
      return batches<R>(
        (after) =>
          db.all<R>(sql`
            select coalesce(u.login, '') as login, p.display_name as name, d.code as district, h.number as cohort,
              t.certified_on as "on", t.certificate_number as number
            from peer_tutors t join persons p on p.id = t.person_id join districts d on d.id = t.district_id
              join cohorts h on h.id = t.cohort_id left join users u on u.person_id = t.person_id
            where ${keyset(sql`coalesce(u.login, ''), t.certificate_number`, after && [after.login, after.number])}
            order by coalesce(u.login, ''), t.certificate_number limit ${BATCH}`),
        (r) => [r.login, r.name, r.district, r.cohort, r.on, r.number],
      );
    }
  }
}

/** How many rows an export of the kind holds now. */
export function exportCount(db: Db, kind: DataKind): number {
  // the same tables and filter as exportRows
  const q: Record<DataKind, SQL> = {
    clients: sql`select count(*) as n from clients`,
    substance_events: sql`select count(*) as n from substance_events`,
    recognitions: sql`select count(*) as n from recognitions`,
    contacts: sql`select count(*) as n from contacts where private = 0`,
    peer_tutors: sql`select count(*) as n from peer_tutors`,
  };
  return db.get<{ n: number }>(q[kind])?.n ?? 0;
}

/** The export's header row: the format's column names, never translated (the file must import as it is). */
export function exportHeader(kind: DataKind): readonly string[] {
  return COLUMNS[kind];
}

/** Records that an export is being made (before its rows are read), with the row count at that moment. */
export function recordDataExport(db: Db, actor: Actor, kind: DataKind, via: "page" | "cli"): number {
  const rows = exportCount(db, kind);
  db.transaction((tx) => {
    recordAudit(tx, actor, { action: "export", entity: "data", entityId: kind, details: { rows, via } });
  });
  return rows;
}
