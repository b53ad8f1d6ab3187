import { relations } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamps } from "./columns";

/** Shanghai has 16 districts; every place and person belongs to one. */
export const districts = sqliteTable(
  "districts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    code: text("code").notNull(),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    ...timestamps,
  },
  (t) => [uniqueIndex("districts_code_uq").on(t.code)],
);

export const subdistricts = sqliteTable(
  "subdistricts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    districtId: integer("district_id").notNull().references(() => districts.id),
    /** 'subdistrict' (街道) or 'town' (镇) */
    kind: text("kind", { enum: ["subdistrict", "town"] }).notNull().default("subdistrict"),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    ...timestamps,
  },
  (t) => [index("subdistricts_district_idx").on(t.districtId)],
);

export const workstations = sqliteTable(
  "workstations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    districtId: integer("district_id").notNull().references(() => districts.id),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    address: text("address").notNull().default(""),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    ...timestamps,
  },
  (t) => [index("workstations_district_idx").on(t.districtId)],
);

export const socialWorkPoints = sqliteTable(
  "social_work_points",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    districtId: integer("district_id").notNull().references(() => districts.id),
    subdistrictId: integer("subdistrict_id").notNull().references(() => subdistricts.id),
    workstationId: integer("workstation_id").references(() => workstations.id),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    address: text("address").notNull().default(""),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    ...timestamps,
  },
  (t) => [
    index("points_district_idx").on(t.districtId),
    index("points_subdistrict_idx").on(t.subdistrictId),
  ],
);

/** One opening period on a weekday (1 = Monday … 7 = Sunday), local time "HH:MM". */
export type OpeningPeriod = { weekday: number; opens: string; closes: string };

export const studios = sqliteTable(
  "studios",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    districtId: integer("district_id").notNull().references(() => districts.id),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    address: text("address").notNull(),
    capacity: integer("capacity").notNull(),
    /** JSON array of OpeningPeriod */
    openingHours: text("opening_hours", { mode: "json" }).$type<OpeningPeriod[]>().notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    ...timestamps,
  },
  (t) => [index("studios_district_idx").on(t.districtId)],
);

export const districtsRelations = relations(districts, ({ many }) => ({
  subdistricts: many(subdistricts),
  workstations: many(workstations),
  points: many(socialWorkPoints),
  studios: many(studios),
}));
export const subdistrictsRelations = relations(subdistricts, ({ one, many }) => ({
  district: one(districts, { fields: [subdistricts.districtId], references: [districts.id] }),
  points: many(socialWorkPoints),
}));
export const workstationsRelations = relations(workstations, ({ one }) => ({
  district: one(districts, { fields: [workstations.districtId], references: [districts.id] }),
}));
export const pointsRelations = relations(socialWorkPoints, ({ one }) => ({
  district: one(districts, { fields: [socialWorkPoints.districtId], references: [districts.id] }),
  subdistrict: one(subdistricts, { fields: [socialWorkPoints.subdistrictId], references: [subdistricts.id] }),
  workstation: one(workstations, { fields: [socialWorkPoints.workstationId], references: [workstations.id] }),
}));
export const studiosRelations = relations(studios, ({ one }) => ({
  district: one(districts, { fields: [studios.districtId], references: [districts.id] }),
}));
