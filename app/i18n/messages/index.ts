// Each area keeps its messages in its own file; this merges them. Add a new area's file here.
import type { Locale } from "../config";
import common from "./common";
import admin from "./admin";
import users from "./users";
import organisation from "./organisation";
import audit from "./audit";
import clients from "./clients";
import contacts from "./contacts";
import casework from "./casework";
import wellbeing from "./wellbeing";
import training from "./training";
import registry from "./registry";
import sessions from "./sessions";
import data from "./data";
import operations from "./operations";
import volunteering from "./volunteering";
import reports from "./reports";
import dashboard from "./dashboard";
import projects from "./projects";
import privacy from "./privacy";

const areas = [common, admin, users, organisation, audit, clients, contacts, casework, wellbeing, training, registry, sessions, data, operations, volunteering, reports, dashboard, projects, privacy] as const;

type Merge<T extends readonly { en: object }[]> = T extends readonly [infer H, ...infer R]
  ? H extends { en: infer E }
    ? E & (R extends readonly { en: object }[] ? Merge<R> : unknown)
    : never
  : unknown;

export type Messages = Merge<typeof areas>;
export type MessageKey = keyof Messages & string;

function merge(locale: Locale): Record<string, string> {
  const out: Record<string, string> = {};
  for (const area of areas) {
    for (const [k, v] of Object.entries(area[locale])) {
      if (k in out) throw new Error(`Duplicate message key ${k}`);
      out[k] = v;
    }
  }
  return out;
}

export const MESSAGES: Record<Locale, Record<string, string>> = { en: merge("en"), "zh-CN": merge("zh-CN") };
/** Per-area catalogues, for the test that every key exists in both locales. */
export const AREA_MESSAGES = areas;
