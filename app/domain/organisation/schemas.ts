/**
 * The forms of the organisation structure, one Zod schema each (CONVENTIONS.md pattern 3).
 * They turn form strings into the plain data the domain functions take; the rules that need the
 * database (parents exist and belong to the same district, codes are unique) live in the domain.
 */
import { z } from "zod";
import { choice, id, ID_PATTERN, int, msg, parseId, text, optionalText } from "~/domain/shared/fields";
import {
  OPENING_HOURS_FIELD,
  TIME_24,
  WEEKDAYS,
  closesField,
  opensField,
  type OpeningPeriod,
} from "./opening-hours";
import { ADDRESS_MAX, CAPACITY_MAX, CAPACITY_MIN, CODE_MAX, NAME_MAX, REASON_MAX } from "./limits";

export { ADDRESS_MAX, CAPACITY_MAX, CAPACITY_MIN, CODE_MAX, NAME_MAX, REASON_MAX };
export const SUBDISTRICT_KINDS = ["subdistrict", "town"] as const;
export type SubdistrictKind = (typeof SUBDISTRICT_KINDS)[number];

/** Lower-case slug: letters, digits, single dashes between them ("huangpu", "pudong-new"). */
export const DISTRICT_CODE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const name = text({ max: NAME_MAX });

export const districtCode = z
  .string({ error: "form.required" })
  .trim()
  .toLowerCase()
  .min(1, { error: "form.required" })
  .max(CODE_MAX, { error: msg("form.tooLong", { max: CODE_MAX }) })
  .regex(DISTRICT_CODE, { error: "organisation.district.codeFormat" });

/** An optional reference (empty means none); anything else must look like an id. */
export const optionalRef = z
  .string({ error: "form.unknownId" })
  .optional()
  .transform((s) => (s ?? "").trim())
  .refine((s) => s === "" || ID_PATTERN.test(s), { error: "form.unknownId" })
  .transform((s) => (s === "" ? null : Number(s)));

export const DistrictFormSchema = z.object({
  code: districtCode,
  nameZh: name,
  nameEn: name,
});
export type DistrictInput = z.output<typeof DistrictFormSchema>;

export const SubdistrictFormSchema = z.object({
  districtId: id,
  kind: choice(SUBDISTRICT_KINDS),
  nameZh: name,
  nameEn: name,
});
export type SubdistrictInput = z.output<typeof SubdistrictFormSchema>;

export const WorkstationFormSchema = z.object({
  districtId: id,
  nameZh: name,
  nameEn: name,
  address: optionalText({ max: ADDRESS_MAX }),
});
export type WorkstationInput = z.output<typeof WorkstationFormSchema>;

export const PointFormSchema = z.object({
  districtId: id,
  subdistrictId: id,
  workstationId: optionalRef,
  nameZh: name,
  nameEn: name,
  address: optionalText({ max: ADDRESS_MAX }),
});
export type PointInput = z.output<typeof PointFormSchema>;

const optionalTime = z
  .string({ error: "form.invalidTime" })
  .optional()
  .transform((s) => (s ?? "").trim())
  .refine((s) => s === "" || TIME_24.test(s), { error: "form.invalidTime" });

const hourFields = Object.fromEntries(
  WEEKDAYS.flatMap((w) => [
    [opensField(w), optionalTime],
    [closesField(w), optionalTime],
  ]),
) as Record<string, typeof optionalTime>;

/**
 * The studio form: seven rows (Monday to Sunday) of optional opens/closes times. A day with
 * both is open; a day with neither is closed; at least one day must be open.
 */
export const StudioFormSchema = z
  .object({
    districtId: id,
    nameZh: name,
    nameEn: name,
    address: text({ max: ADDRESS_MAX }),
    capacity: int({ min: CAPACITY_MIN, max: CAPACITY_MAX }),
    ...hourFields,
  })
  .superRefine((v, ctx) => {
    const values = v as unknown as Record<string, unknown>;
    let openDays = 0;
    for (const w of WEEKDAYS) {
      const opens = values[opensField(w)];
      const closes = values[closesField(w)];
      if (typeof opens !== "string" || typeof closes !== "string") continue;
      if (!(opens === "" || TIME_24.test(opens)) || !(closes === "" || TIME_24.test(closes))) continue; // reported by the field
      if (opens && !closes) ctx.addIssue({ code: "custom", path: [closesField(w)], message: "organisation.studio.closesMissing" });
      else if (!opens && closes) ctx.addIssue({ code: "custom", path: [opensField(w)], message: "organisation.studio.opensMissing" });
      else if (opens && closes) {
        openDays++;
        if (opens >= closes) ctx.addIssue({ code: "custom", path: [closesField(w)], message: "organisation.studio.closesBeforeOpens" });
      }
    }
    const anyHours = WEEKDAYS.some((w) => values[opensField(w)] || values[closesField(w)]);
    if (openDays === 0 && !anyHours) {
      ctx.addIssue({ code: "custom", path: [OPENING_HOURS_FIELD], message: "organisation.studio.noOpenDay" });
    }
  })
  .transform((v) => {
    const values = v as unknown as Record<string, string>;
    const openingHours: OpeningPeriod[] = WEEKDAYS.filter((w) => values[opensField(w)] && values[closesField(w)]).map((w) => ({
      weekday: w,
      opens: values[opensField(w)]!,
      closes: values[closesField(w)]!,
    }));
    return {
      districtId: v.districtId,
      nameZh: v.nameZh,
      nameEn: v.nameEn,
      address: v.address,
      capacity: v.capacity,
      openingHours,
    };
  });
export type StudioInput = z.output<typeof StudioFormSchema>;

/** Deactivating or reactivating: the intent and an optional reason kept in the audit log. */
export const StatusFormSchema = z.object({
  intent: choice(["deactivate", "activate"]),
  reason: optionalText({ max: REASON_MAX }),
});

/** An id from the URL; anything else is "not found". */
export function idFromParam(value: string | undefined): number | null {
  return parseId(value);
}

/** The id segment of a create-or-edit page: "new", an id, or null (not found). */
export function targetFromParam(value: string | undefined): "new" | number | null {
  return value === "new" ? "new" : idFromParam(value);
}
