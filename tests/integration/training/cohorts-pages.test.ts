/**
 * The training pages render from real loader data in both languages: requirement numbers in words,
 * the attendance sheet as radio groups, a refused certification listing what is missing, and the
 * typed input kept after a bad score.
 */
import { Outlet } from "@remix-run/react";
import { createRemixStub } from "@remix-run/testing";
import { createElement, type ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Locale } from "~/i18n/config";
import * as listRoute from "~/routes/training._index/route";
import * as cohortRoute from "~/routes/training.cohorts.$id._index";
import * as sessionRoute from "~/routes/training.cohorts.$id.sessions.$sessionId";
import * as timetableRoute from "~/routes/training.cohorts.$id.sessions._index";
import * as traineeRoute from "~/routes/training.cohorts.$id.trainees.$enrollmentId";
import * as newCohortRoute from "~/routes/training.cohorts.new";
import * as mineRoute from "~/routes/training.mine";
import * as programmeRoute from "~/routes/training.programmes.$id";
import * as programmesRoute from "~/routes/training.programmes._index";
import { makeDistrict, makeSignedInUser } from "../../factories";
import { personOf } from "../../clients-factories";
import { addPracticumRaw, addTrainingSession, enrol, getRoute, makeCohort, makeQualifiedTrainee, makeTrainer, markAttendanceRaw, postRoute } from "../../training-factories";

function render(opts: { path: string; pattern: string; Component: ComponentType; loaderData: unknown; actionData?: unknown; locale?: Locale }): string {
  const Stub = createRemixStub([
    {
      id: "root",
      path: "/",
      Component: () => createElement(Outlet),
      children: [{ id: "page", path: opts.pattern.slice(1), Component: opts.Component }],
    },
  ]);
  return renderToString(
    createElement(Stub, {
      initialEntries: [opts.path],
      hydrationData: {
        loaderData: { root: { locale: opts.locale ?? "en", timeZone: "Asia/Shanghai" }, page: opts.loaderData },
        actionData: opts.actionData ? { page: opts.actionData } : undefined,
      },
    }),
  );
}

beforeAll(() => {
  const original = console.error;
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].includes("useLayoutEffect does nothing on the server")) return;
    original(...args);
  });
});

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/\s+/g, " ");

describe("training pages render", () => {
  it("the trainee page shows each requirement with its numbers, in English and Chinese", async () => {
    const { cohort } = makeCohort();
    const trainer = await makeTrainer(cohort.id);
    const e = enrol(cohort.id, "测试学员子（虚构）");
    const s1 = addTrainingSession(cohort.id, "2025-03-03T01:00:00Z", 7.8);
    addTrainingSession(cohort.id, "2025-03-04T01:00:00Z", 2.2);
    markAttendanceRaw(s1.id, e.id, "present", trainer.id);
    addPracticumRaw(e.id, 18, trainer.personId, trainer.id);
    const path = `/training/cohorts/${cohort.id}/trainees/${e.id}`;
    const data = (await getRoute(traineeRoute, path, { id: String(cohort.id), enrollmentId: String(e.id) }, trainer.cookie)).body;
    const en = text(render({ path, pattern: "/training/cohorts/:id/trainees/:enrollmentId", Component: traineeRoute.default, loaderData: data }));
    expect(en).toContain("Attendance 78% of 80% required (7.8 of 10 hours)");
    expect(en).toContain("Practicum 18 of 24 hours signed off");
    expect(en).toContain("Peer education principles: not assessed yet (pass mark 60)");
    expect(en).toContain("8 requirements not met");
    expect(en).toContain("Record assessment");
    const zh = text(render({ path, pattern: "/training/cohorts/:id/trainees/:enrollmentId", Component: traineeRoute.default, loaderData: data, locale: "zh-CN" }));
    expect(zh).toContain("出勤率 78%，要求 80%");
    expect(zh).toContain("同伴教育原则：尚未考核（及格分 60）");
  });

  it("a refused certification lists the missing items; a bad score comes back with the typed value", async () => {
    const { cohort, modules } = makeCohort({ status: "assessing" });
    const trainer = await makeTrainer(cohort.id);
    const e = enrol(cohort.id);
    const path = `/training/cohorts/${cohort.id}/trainees/${e.id}`;
    const params = { id: String(cohort.id), enrollmentId: String(e.id) };
    const data = (await getRoute(traineeRoute, path, params, trainer.cookie)).body;
    const refused = await postRoute(traineeRoute, path, params, trainer.cookie, { intent: "certify" });
    const html = text(render({ path, pattern: "/training/cohorts/:id/trainees/:enrollmentId", Component: traineeRoute.default, loaderData: data, actionData: refused.body }));
    expect(html).toContain("Cannot certify: not every requirement is met.");
    expect(html).toContain("Missing: ");
    expect(html).toContain("Practicum 0 of 24 hours signed off");

    const bad = await postRoute(traineeRoute, path, params, trainer.cookie, { intent: "assessment", moduleId: String(modules[1]!.id), score: "101", assessedOn: "2025-05-01" });
    const raw = render({ path, pattern: "/training/cohorts/:id/trainees/:enrollmentId", Component: traineeRoute.default, loaderData: data, actionData: bad.body });
    expect(text(raw)).toContain("Enter a number from 0 to 100.");
    expect(raw).toContain('value="101"');
  });

  it("the attendance sheet is one radio group per trainee, with the current mark checked", async () => {
    const { cohort } = makeCohort();
    const trainer = await makeTrainer(cohort.id);
    const e = enrol(cohort.id, "测试学员丑（虚构）");
    const s = addTrainingSession(cohort.id, "2025-03-03T01:00:00Z", 2);
    markAttendanceRaw(s.id, e.id, "late", trainer.id);
    const path = `/training/cohorts/${cohort.id}/sessions/${s.id}`;
    const data = (await getRoute(sessionRoute, path, { id: String(cohort.id), sessionId: String(s.id) }, trainer.cookie)).body;
    const html = render({ path, pattern: "/training/cohorts/:id/sessions/:sessionId", Component: sessionRoute.default, loaderData: data });
    const radios = (html.match(/<input[^>]*type="radio"[^>]*>/g) ?? []).filter((tag) => tag.includes(`name="a.${e.id}"`));
    expect(radios).toHaveLength(4);
    expect(radios.filter((tag) => tag.includes('checked=""'))).toEqual([expect.stringContaining('value="late"')]);
    expect(text(html)).toContain("测试学员丑（虚构）");
    expect(text(html)).toContain("Save attendance");
  });

  it("the other training pages render for a trainer without errors", async () => {
    const { cohort, programme } = makeCohort({ status: "assessing" });
    const trainer = await makeTrainer(cohort.id);
    makeQualifiedTrainee(cohort.id, trainer.id, trainer.personId, "测试学员寅（虚构）");
    enrol(cohort.id, "测试学员卯（虚构）");
    const id = String(cohort.id);
    const pages: [{ loader?: unknown; default: unknown }, string, string, Record<string, string>, string][] = [
      [listRoute, "/training", "/training", {}, `Cohort ${cohort.number}`],
      [cohortRoute, `/training/cohorts/${id}`, "/training/cohorts/:id", { id }, "Certify all who qualify ( 1 )"],
      [timetableRoute, `/training/cohorts/${id}/sessions`, "/training/cohorts/:id/sessions", { id }, "Add session"],
      [newCohortRoute, "/training/cohorts/new", "/training/cohorts/new", {}, "Create cohort"],
      [programmesRoute, "/training/programmes", "/training/programmes", {}, "Training programmes"],
      [programmeRoute, `/training/programmes/${programme.id}`, "/training/programmes/:id", { id: String(programme.id) }, "Group facilitation"],
    ];
    for (const [mod, path, pattern, params, expected] of pages) {
      const res = await getRoute(mod, path, params, trainer.cookie);
      expect(res.status, path).toBe(200);
      for (const locale of ["en", "zh-CN"] as const) {
        const html = text(render({ path, pattern, Component: mod.default as ComponentType, loaderData: res.body, locale }));
        if (locale === "en") expect(html, path).toContain(expected);
      }
    }
    const overview = text(render({ path: `/training/cohorts/${id}`, pattern: "/training/cohorts/:id", Component: cohortRoute.default, loaderData: (await getRoute(cohortRoute, `/training/cohorts/${id}`, { id }, trainer.cookie)).body }));
    expect(overview).toContain("Meets all");
    expect(overview).toContain("Missing 8");
  });

  it("a peer tutor's own record shows their requirements", async () => {
    const { cohort } = makeCohort();
    const tutor = await makeSignedInUser([{ role: "peer_tutor", districtId: makeDistrict().id }]);
    enrol(cohort.id, undefined, { personId: personOf(tutor.id) });
    const data = (await getRoute(mineRoute, "/training/mine", {}, tutor.cookie)).body;
    const html = text(render({ path: "/training/mine", pattern: "/training/mine", Component: mineRoute.default, loaderData: data }));
    expect(html).toContain(`Cohort ${cohort.number}`);
    expect(html).toContain("Practicum 0 of 24 hours signed off");
  });
});
