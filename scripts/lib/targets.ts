/**
 * Ids the performance scripts need, read from the data set: which clients a demo login may see
 * and write to, a studio and sessions in the coordinator's districts.
 */
import { openSqlite } from "../../db/client";

export type Targets = {
  /** current, open mentees of each peer-tutor login, and the caseload of the social worker login */
  writableClients: Record<string, number[]>;
  /** a mentee of "tutor" (for the timeline) */
  tutorMentee: number | null;
  tutorMenteeCount: number;
  /** a studio in one of the coordinator's districts */
  coordinatorStudio: number | null;
  /** sessions in the coordinator's districts with registered clients, not cancelled: id → client ids */
  attendanceSessions: { id: number; clientIds: number[] }[];
  timeZone: string;
};

export function readTargets(file: string): Targets {
  const db = openSqlite(file, { readonly: true, fileMustExist: true });
  try {
    const clientsOf = (login: string, kind: "peer_tutor" | "social_worker") =>
      (
        db
          .prepare(
            `select a.client_id as id from client_assignments a
               join users u on u.person_id = a.person_id
               join clients c on c.id = a.client_id
             where u.login = ? and a.kind = ? and a.to_date is null and c.status <> 'closed'
             order by a.client_id`,
          )
          .all(login, kind) as { id: number }[]
      ).map((r) => r.id);
    const writableClients: Record<string, number[]> = {
      tutor: clientsOf("tutor", "peer_tutor"),
      tutor2: clientsOf("tutor2", "peer_tutor"),
      socialworker: clientsOf("socialworker", "social_worker"),
    };
    const tutorAll = db
      .prepare(
        `select a.client_id as id from client_assignments a join users u on u.person_id = a.person_id
         where u.login = 'tutor' and a.kind = 'peer_tutor' and a.to_date is null order by a.client_id`,
      )
      .all() as { id: number }[];
    const districts = (
      db
        .prepare(`select r.district_id as id from user_roles r join users u on u.id = r.user_id where u.login = 'coordinator' and r.role = 'coordinator'`)
        .all() as { id: number | null }[]
    )
      .map((r) => r.id)
      .filter((id): id is number => id !== null);
    const inDistricts = districts.length ? `s.district_id in (${districts.join(",")})` : "1 = 1";
    const studio = db.prepare(`select s.id from studios s where ${inDistricts} order by s.id limit 1`).get() as { id: number } | undefined;
    let attendanceSessions: Targets["attendanceSessions"] = [];
    try {
      const rows = db
        .prepare(
          `select g.id as id, group_concat(r.client_id) as clients from group_sessions g
             join studios s on s.id = g.studio_id
             join session_registrations r on r.session_id = g.id and r.status = 'registered'
           where ${inDistricts} and g.status <> 'cancelled' and g.starts_at <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
           group by g.id order by g.starts_at desc limit 50`,
        )
        .all() as { id: number; clients: string }[];
      attendanceSessions = rows.map((r) => ({ id: r.id, clientIds: r.clients.split(",").map(Number) }));
    } catch {
      // no sessions tables in this data set
    }
    let timeZone = "Asia/Shanghai";
    try {
      const row = db.prepare(`select value from settings where key = 'timeZone'`).get() as { value: string } | undefined;
      if (row) timeZone = JSON.parse(row.value) as string;
    } catch {
      // default time zone
    }
    return {
      writableClients,
      tutorMentee: tutorAll[0]?.id ?? null,
      tutorMenteeCount: tutorAll.length,
      coordinatorStudio: studio?.id ?? null,
      attendanceSessions,
      timeZone,
    };
  } finally {
    db.close();
  }
}
