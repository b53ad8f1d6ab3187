/**
 * Demo funded projects: one government-purchased service for Huangpu and Xuhui and one
 * public-welfare project, both fictional, over the year around the generation date, with targets
 * whose progress the project pages compute from the demo records. Written through the projects
 * domain function, so each creation is audited like any other.
 */
import type { Db } from "../client";
import type { Actor } from "../../app/domain/audit";
import { createProject, type ProjectInput } from "../../app/domain/projects";
import type { DemoContext } from "./context";

/** the demo generator's actor (as in generate.ts; not imported from there, which imports this file) */
const DEMO_ACTOR: Actor = { userId: null, login: "demo", ip: "" };

const NO_TARGETS: ProjectInput["targets"] = {
  sessions_held: null,
  attendances: null,
  clients_served: null,
  new_clients: null,
  contacts: null,
  volunteer_hours: null,
  recognitions: null,
  peer_tutors_certified: null,
};

export function generateProjects(db: Db, ctx: DemoContext): { projects: number } {
  const byCode = new Map(ctx.districts.map((d) => [d.code, d.id]));
  const year = ctx.today.slice(0, 4);
  const pick = (codes: string[]) => codes.map((c) => byCode.get(c)).filter((id): id is number => id !== undefined);
  const purchased = pick(["huangpu", "xuhui"]);
  const welfare = pick(["changning", "jingan", "putuo"]);
  const all = ctx.districts.map((d) => d.id);
  let n = 0;
  if (purchased.length > 0) {
    createProject(db, DEMO_ACTOR, {
      name: `${year}年黄浦、徐汇社区戒毒康复同伴教育服务（虚构示例）`,
      funder: "示例区禁毒工作领导小组办公室（虚构）",
      kind: "government_purchase",
      startsOn: `${year}-01-01`,
      endsOn: `${year}-12-31`,
      budget: 68_000_000,
      notes: "演示数据：虚构的政府购买服务合同，用于展示项目进度的计算方式。",
      status: "active",
      districts: purchased,
      targets: { ...NO_TARGETS, sessions_held: 300, attendances: 2400, clients_served: 900, contacts: 8000, volunteer_hours: 1500 },
    });
    n++;
  }
  createProject(db, DEMO_ACTOR, {
    name: "“同伴同行”公益创投项目（虚构示例）",
    funder: "示例公益基金会（虚构）",
    kind: "public_welfare",
    startsOn: `${year}-03-01`,
    endsOn: `${Number(year) + 1}-02-28`,
    budget: 18_000_000,
    notes: "Demo data: a fictional public-welfare project won by tender.",
    status: "active",
    districts: welfare.length > 0 ? welfare : all.slice(0, 3),
    targets: { ...NO_TARGETS, new_clients: 120, recognitions: 20, peer_tutors_certified: 10, volunteer_hours: 600 },
  });
  n++;
  return { projects: n };
}
