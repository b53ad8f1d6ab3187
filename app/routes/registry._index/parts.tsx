/**
 * Pieces shared by the registry and certificate pages: status badges in words and colour, and a
 * fact list. Not a route (no route.tsx name), no data access, nothing server-only.
 */
import type { ReactNode } from "react";
import { Badge, type Tone } from "~/components/ui";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";

const TUTOR_TONES: Record<string, Tone> = { active: "ok", paused: "warn", alumni: "neutral", revoked: "danger" };

export function TutorStatusBadge({ status }: { status: string }) {
  const { t } = useT();
  return <Badge tone={TUTOR_TONES[status] ?? "neutral"}>{t(`registry.tutorStatus.${status}` as MessageKey)}</Badge>;
}

const CERTIFICATE_TONES: Record<string, Tone> = {
  valid: "ok",
  expiring: "warn",
  expired: "warn",
  suspended: "danger",
  revoked: "danger",
  not_yet_valid: "neutral",
};

/** A certificate's standing: valid, expiring soon, expired, suspended, revoked, not yet valid. */
export function CertificateBadge({ standing }: { standing: string }) {
  const { t } = useT();
  return <Badge tone={CERTIFICATE_TONES[standing] ?? "neutral"}>{t(`registry.cert.${standing}` as MessageKey)}</Badge>;
}

/** The one "may practise" answer, in words. */
export function StandingBadge({ standing }: { standing: string }) {
  const { t } = useT();
  return (
    <Badge tone={standing === "may_practise" ? "ok" : "danger"}>{t(`registry.standing.${standing}` as MessageKey)}</Badge>
  );
}

export function useDistrictName() {
  const { locale } = useT();
  return (d: { nameZh: string | null; nameEn: string | null }) => (locale === "zh-CN" ? d.nameZh : d.nameEn) ?? "";
}

export function Facts({ children }: { children: ReactNode }) {
  return <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-[max-content_1fr]">{children}</dl>;
}

export function Fact({ label, children }: { label: ReactNode; children: ReactNode }) {
  return (
    <>
      <dt className="text-sm text-muted sm:text-base">{label}</dt>
      <dd className="mb-2 sm:mb-0">{children}</dd>
    </>
  );
}
