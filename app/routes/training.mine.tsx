import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { forbidden, requireUser } from "~/auth/guards.server";
import { hasRole } from "~/auth/permissions";
import { Card, EmptyState, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { certificateOfEnrollment, listOwnEnrollments, requirementReport } from "~/domain/training";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { CohortStatusBadge, EnrollmentStatusBadge, RequirementList } from "./training._index/parts";

export async function loader({ request }: LoaderFunctionArgs) {
  // a peer tutor's own training record: they hold no read:training, and see only their own enrolments
  const user = requireUser(request);
  if (!hasRole(user, "peer_tutor")) throw forbidden();
  const db = getDb();
  const records = listOwnEnrollments(db, user.personId).map((e) => {
    const report = requirementReport(db, e.cohortId, e.id);
    const certificate = certificateOfEnrollment(db, e.id);
    return {
      id: e.id,
      cohortNumber: e.cohortNumber,
      cohortStatus: e.cohortStatus,
      status: e.status,
      enrolledOn: e.enrolledOn,
      items: report?.items ?? [],
      certificate: certificate ? { number: certificate.number, issuedOn: certificate.issuedOn, expiresOn: certificate.expiresOn } : null,
    };
  });
  return { records };
}

export default function MyTraining() {
  const { records } = useLoaderData<typeof loader>();
  const { t, date } = useT();
  return (
    <>
      <PageHeader title={t("training.mine.title")} subtitle={t("training.mine.subtitle")} />
      {records.length === 0 ? (
        <EmptyState title={t("training.mine.empty")}>{t("training.mine.emptyHelp")}</EmptyState>
      ) : (
        <div className="grid gap-4">
          {records.map((r) => (
            <Card
              key={r.id}
              title={t("training.cohort.name", { number: r.cohortNumber })}
              actions={
                <span className="flex flex-wrap gap-2">
                  <CohortStatusBadge status={r.cohortStatus} />
                  <EnrollmentStatusBadge status={r.status} />
                </span>
              }
            >
              <p className="mb-3 text-muted">
                {t("training.enrol.enrolledOn")}: {date(r.enrolledOn)}
              </p>
              {r.certificate && (
                <p className="mb-3">
                  {t("training.certify.number")}: <strong>{r.certificate.number}</strong> · {t("training.certify.issuedOn")} {date(r.certificate.issuedOn)} ·{" "}
                  {t("training.certify.expiresOn")} {date(r.certificate.expiresOn)}
                </p>
              )}
              <h3 className="mb-2 font-medium">{t("training.req.title")}</h3>
              <RequirementList items={r.items} />
            </Card>
          ))}
        </div>
      )}
    </>
  );
}

export const meta = titled("training.mine.title");
