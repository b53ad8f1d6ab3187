/**
 * The import page runs an upload in a worker thread and shows its progress on a job page that
 * refreshes itself (issue 6): the POST redirects to /admin/import/jobs/<id>, the page shows the
 * rows read so far and then the counts or the problems; one import at a time; GET reads memory only.
 */
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, clients } from "#db/schema";
import { getDb } from "~/db.server";
import { getJob, waitForJob } from "~/domain/data/jobs.server";
import { action as importAction } from "~/routes/admin.import/route";
import { loader as jobLoader, meta as jobMeta } from "~/routes/admin.import_.jobs.$id/route";
import { makeRequest, makeSignedInUser, respond } from "../../factories";
import { buildWorld, csv, HEADERS } from "./world";

let admin = { id: 0, login: "", cookie: "" };
let coordinator = { id: 0, login: "", cookie: "" };
const ctx = { cspNonce: "" };

function upload(cookie: string, fields: Record<string, string>, file: { name: string; bytes: Uint8Array }) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  body.append("file", new Blob([new Uint8Array(file.bytes)], { type: "text/csv" }), file.name);
  const request = new Request("http://localhost/admin/import", { method: "POST", body, headers: { Cookie: cookie, "x-tongban-client-ip": "127.0.0.1" } });
  return respond(() => importAction({ request, params: {}, context: ctx }));
}

type JobPage = {
  running: boolean;
  rows: number;
  elapsedSeconds: number;
  crashed: boolean;
  result: null | { ok: boolean; dryRun: boolean; rows: number; inserted: number; unchanged: number; badRows: number; rowErrors: { line: number; column: string; key: string }[]; fileErrors: { key: string }[]; failedId: string | null };
};

function jobPage(id: string, cookie = admin.cookie) {
  return respond(() => jobLoader({ request: makeRequest(`/admin/import/jobs/${id}`, { cookie }), params: { id }, context: ctx }));
}

function jobIdOf(res: { status: number; headers: Headers }): string {
  expect(res.status).toBe(302);
  const id = /^\/admin\/import\/jobs\/([a-f0-9]{32})$/.exec(res.headers.get("Location") ?? "")?.[1];
  expect(id).toBeTruthy();
  return id!;
}

function manyClients(n: number, prefix: string): Uint8Array {
  const lines: string[] = [HEADERS.clients];
  for (let i = 1; i <= n; i++) lines.push(`${prefix}-${String(i).padStart(6, "0")},测试对象${i}（化名）,${i % 2 ? "dt-east" : "dt-west"},,2020-0${1 + (i % 9)}-15,voluntary,${i % 2 ? "sw-wang" : "sw-li"},`);
  return csv(lines);
}

const clientCount = () => getDb().select({ n: sql<number>`count(*)` }).from(clients).get()!.n;
const importAudits = () => getDb().select().from(auditLog).where(and(eq(auditLog.action, "import"), eq(auditLog.entity, "data"))).all();

beforeAll(async () => {
  await buildWorld(getDb());
  admin = await makeSignedInUser([{ role: "admin", districtId: null }]);
  coordinator = await makeSignedInUser([{ role: "coordinator", districtId: null }]);
});

describe("import jobs", () => {
  it("a POST starts a job and redirects to its page, which refreshes itself while running and then shows the counts", { timeout: 120_000 }, async () => {
    const before = clientCount();
    const id = jobIdOf(await upload(admin.cookie, { kind: "clients" }, { name: "many.csv", bytes: manyClients(20_000, "PRG") }));
    const first = await jobPage(id);
    expect(first.status).toBe(200);
    expect((first.body as JobPage).running).toBe(true);
    // the page asks the browser to come back in 2 s while the import runs (no JavaScript)
    const runningMeta = jobMeta({ data: first.body, matches: [] } as never) as Record<string, string>[];
    expect(runningMeta).toContainEqual({ httpEquiv: "refresh", content: "2" });

    const seen: number[] = [];
    let page = first.body as JobPage;
    const until = Date.now() + 110_000;
    while (page.running && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 10));
      page = (await jobPage(id)).body as JobPage;
      seen.push(page.rows);
    }
    expect(page.running).toBe(false);
    expect(page.crashed).toBe(false);
    expect(page.result).toMatchObject({ ok: true, dryRun: false, rows: 20_000, inserted: 20_000, unchanged: 0 });
    // rows read so far were shown part-way (progress is posted every 500 rows), never going back
    expect(seen.some((n) => n > 0 && n < 20_000)).toBe(true);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(clientCount()).toBe(before + 20_000);
    expect(importAudits().at(-1)).toMatchObject({ actorLogin: admin.login, actorUserId: admin.id, entityId: "clients", details: expect.objectContaining({ file: "many.csv", rows: 20_000 }) });
    // finished: no refresh any more
    const doneMeta = jobMeta({ data: page, matches: [] } as never) as Record<string, string>[];
    expect(doneMeta.some((m) => "httpEquiv" in m)).toBe(false);
  });

  it("shows a bad file's problems with line, column and reason on the job page, and writes nothing", async () => {
    const before = clientCount();
    const audits = importAudits().length;
    const id = jobIdOf(
      await upload(admin.cookie, { kind: "clients" }, {
        name: "bad.csv",
        bytes: csv([HEADERS.clients, "BAD-1,小张（化名）,dt-east,,2020-01-01,none,sw-wang,", "BAD-2,小王（化名）,atlantis,,2020-01-01,none,sw-wang,"]),
      }),
    );
    await waitForJob(id);
    const page = (await jobPage(id)).body as JobPage;
    expect(page.result?.ok).toBe(false);
    expect(page.result?.rowErrors.map((e) => [e.line, e.column, e.key.split("?")[0]])).toEqual([[3, "district", "data.unknownDistrict"]]);
    expect(page.result?.failedId).toMatch(/^[a-f0-9]{32}$/);
    expect(clientCount()).toBe(before);
    expect(importAudits()).toHaveLength(audits);
  });

  it("a dry run in a job reports the counts and writes nothing", async () => {
    const before = clientCount();
    const id = jobIdOf(await upload(admin.cookie, { kind: "clients", dryRun: "on" }, { name: "dry.csv", bytes: manyClients(3, "DRY") }));
    await waitForJob(id);
    expect(((await jobPage(id)).body as JobPage).result).toMatchObject({ ok: true, dryRun: true, rows: 3, inserted: 3 });
    expect(clientCount()).toBe(before);
  });

  it("refuses a second import while one is running, with a message, and writes nothing for it", { timeout: 120_000 }, async () => {
    const before = clientCount();
    const id = jobIdOf(await upload(admin.cookie, { kind: "clients" }, { name: "first.csv", bytes: manyClients(5_000, "ONE") }));
    const second = await upload(admin.cookie, { kind: "clients" }, { name: "second.csv", bytes: manyClients(2, "TWO") });
    expect(second.status).toBe(409);
    expect((second.body as { errors?: Record<string, string> }).errors).toEqual({ _form: "data.import.busy" });
    await waitForJob(id, 110_000);
    expect(getJob(id)?.result).toMatchObject({ ok: true, rows: 5_000 });
    expect(clientCount()).toBe(before + 5_000);
    // once it has finished, the next import is accepted
    const third = jobIdOf(await upload(admin.cookie, { kind: "clients", dryRun: "on" }, { name: "third.csv", bytes: manyClients(2, "TWO") }));
    await waitForJob(third);
  });

  it("answers 404 for an unknown or malformed job id", async () => {
    for (const id of ["0".repeat(32), "nope", "../../etc"]) expect((await jobPage(id)).status).toBe(404);
  });

  it("answers 403 to a non-admin for the job page and the upload, and imports nothing", async () => {
    const before = clientCount();
    const id = jobIdOf(await upload(admin.cookie, { kind: "clients", dryRun: "on" }, { name: "dry.csv", bytes: manyClients(1, "ADM") }));
    await waitForJob(id);
    expect((await jobPage(id, coordinator.cookie)).status).toBe(403);
    expect((await upload(coordinator.cookie, { kind: "clients" }, { name: "c.csv", bytes: manyClients(1, "COO") })).status).toBe(403);
    expect(clientCount()).toBe(before);
  });
});
