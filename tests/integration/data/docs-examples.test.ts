/** The example files of docs/import import as the README there says, in its order, and a second time change nothing. */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { cohorts, districts, trainingProgrammes } from "#db/schema";
import { getDb } from "~/db.server";
import { SYSTEM_ACTOR } from "~/domain/audit";
import { IMPORT_ORDER } from "~/domain/data";
import { createUser } from "~/domain/people";
import { consentAll, run } from "./world";

beforeAll(async () => {
  const db = getDb();
  db.insert(districts).values({ code: "huangpu", nameZh: "黄浦区", nameEn: "Huangpu" }).run();
  db.insert(districts).values({ code: "xuhui", nameZh: "徐汇区", nameEn: "Xuhui" }).run();
  const password = "correct-horse-battery";
  for (const [login, displayName, role] of [
    ["sw-zhang", "测试社工张（虚构）", "social_worker"],
    ["sw-li", "测试社工李（虚构）", "social_worker"],
    ["tutor-xiaozhou", "小周（虚构）", "trainer"],
    ["tutor-xiaowu", "小吴（虚构）", "trainer"],
  ] as const) {
    await createUser(db, SYSTEM_ACTOR, { login, displayName, password, roles: [{ role, districtId: null }], mustChangePassword: false });
  }
  const p = db.insert(trainingProgrammes).values({ code: "DOC-PROG", nameZh: "测试计划（虚构）", nameEn: "Test programme (fictional)" }).returning().get();
  db.insert(cohorts).values({ number: 1, programmeId: p.id, startsOn: "2010-01-01", endsOn: "2010-06-30", status: "certified" }).run();
  db.insert(cohorts).values({ number: 2, programmeId: p.id, startsOn: "2025-01-01", endsOn: "2025-06-30", status: "certified" }).run();
});

describe("docs/import example files", () => {
  it("import in the documented order (consents recorded after the clients) and again as unchanged", () => {
    for (const round of [1, 2]) {
      for (const kind of IMPORT_ORDER) {
        const r = run(getDb(), kind, readFileSync(`docs/import/${kind}.csv`));
        expect(r, `${kind}: ${JSON.stringify([r.fileErrors, r.rowErrors])}`).toMatchObject({ ok: true });
        expect(round === 1 ? r.unchanged : r.inserted, kind).toBe(0);
        if (kind === "clients" && round === 1) consentAll(getDb(), 1, "2010-01-01");
      }
    }
  });
});
