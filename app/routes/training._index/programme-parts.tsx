/** Fields of the programme and module forms (shared by the new and detail pages). */
import type { ReactNode } from "react";
import { TextField, type FormState } from "~/components/forms";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";

type T = (key: MessageKey, params?: Record<string, string | number>) => string;
type ProgrammeValues = { code?: string; nameZh?: string; nameEn?: string; certificateValidMonths?: number; minAttendancePercent?: number; practicumHoursRequired?: number };

export function programmeLabels(t: T): Record<string, ReactNode> {
  return {
    code: t("training.programme.code"),
    nameZh: t("training.programme.nameZh"),
    nameEn: t("training.programme.nameEn"),
    certificateValidMonths: t("training.programme.certificateValidMonths"),
    minAttendancePercent: t("training.programme.minAttendancePercent"),
    practicumHoursRequired: t("training.programme.practicumHoursRequired"),
  };
}

export function ProgrammeFields({ state, withCode, defaults = {} }: { state?: FormState; withCode?: boolean; defaults?: ProgrammeValues }) {
  const { t } = useT();
  return (
    <>
      {withCode && (
        <TextField name="code" label={t("training.programme.code")} help={t("training.programme.codeHelp")} state={state} defaultValue={defaults.code} required maxLength={40} />
      )}
      <div className="grid gap-x-4 sm:grid-cols-2">
        <TextField name="nameZh" label={t("training.programme.nameZh")} state={state} defaultValue={defaults.nameZh} required maxLength={120} />
        <TextField name="nameEn" label={t("training.programme.nameEn")} state={state} defaultValue={defaults.nameEn} required maxLength={120} />
      </div>
      <div className="grid gap-x-4 sm:grid-cols-3">
        <TextField name="minAttendancePercent" type="number" inputMode="numeric" label={t("training.programme.minAttendancePercent")} state={state} defaultValue={defaults.minAttendancePercent ?? 80} required />
        <TextField name="practicumHoursRequired" type="number" inputMode="numeric" label={t("training.programme.practicumHoursRequired")} state={state} defaultValue={defaults.practicumHoursRequired ?? 24} required />
        <TextField name="certificateValidMonths" type="number" inputMode="numeric" label={t("training.programme.certificateValidMonths")} state={state} defaultValue={defaults.certificateValidMonths ?? 24} required />
      </div>
    </>
  );
}

export function moduleLabels(t: T): Record<string, ReactNode> {
  return {
    code: t("training.module.code"),
    nameZh: t("training.module.nameZh"),
    nameEn: t("training.module.nameEn"),
    requiredHours: t("training.module.requiredHours"),
    passMark: t("training.module.passMark"),
    position: t("training.module.position"),
    moduleId: t("training.assessment.module"),
  };
}

type ModuleValues = { code?: string; nameZh?: string; nameEn?: string; requiredHours?: number; passMark?: number; position?: number };

export function ModuleFields({ state, defaults = {} }: { state?: FormState; defaults?: ModuleValues }) {
  const { t } = useT();
  return (
    <>
      <div className="grid gap-x-4 sm:grid-cols-3">
        <TextField name="code" label={t("training.module.code")} state={state} defaultValue={defaults.code} required maxLength={40} />
        <TextField name="nameZh" label={t("training.module.nameZh")} state={state} defaultValue={defaults.nameZh} required maxLength={120} />
        <TextField name="nameEn" label={t("training.module.nameEn")} state={state} defaultValue={defaults.nameEn} required maxLength={120} />
      </div>
      <div className="grid gap-x-4 sm:grid-cols-3">
        <TextField name="requiredHours" type="number" inputMode="numeric" label={t("training.module.requiredHours")} state={state} defaultValue={defaults.requiredHours} required />
        <TextField name="passMark" type="number" inputMode="numeric" label={t("training.module.passMark")} state={state} defaultValue={defaults.passMark ?? 60} required />
        <TextField name="position" type="number" inputMode="numeric" label={t("training.module.position")} state={state} defaultValue={defaults.position ?? 0} required />
      </div>
    </>
  );
}
