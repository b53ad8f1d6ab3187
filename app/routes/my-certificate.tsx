import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUserWithPermission } from "~/auth/guards.server";
import { Card, EmptyState, PageHeader } from "~/components/ui";
import { getDb } from "~/db.server";
import { getSettings } from "~/domain/settings";
import { certificatesOfPerson, listContinuingEducation, practiseStandingOn, renewalsOf } from "~/domain/training";
import { todayIn } from "~/i18n/format";
import { titled } from "~/i18n/meta";
import { useT } from "~/i18n/use-t";
import { CertificateBadge, Fact, Facts, StandingBadge } from "./registry._index/parts";

export async function loader({ request }: LoaderFunctionArgs) {
  // a peer tutor sees their own certificate (read:certificate:own); anyone who may read certificates sees their own here
  const user = requireUserWithPermission(request, "read:certificate");
  const db = getDb();
  const today = todayIn(getSettings(db).timeZone);
  const certificates = certificatesOfPerson(db, user.personId, today).map(({ verificationCode: _code, ...c }) => ({
    ...c,
    renewals: renewalsOf(db, c.id),
  }));
  const educationHours = listContinuingEducation(db, user.personId);
  return {
    certificates,
    standing: certificates.length > 0 ? practiseStandingOn(db, user.personId, today) : null,
    continuingEducation: educationHours.slice(0, 20),
    verifyUrl: `${new URL(request.url).origin}/verify`,
  };
}

export default function MyCertificate() {
  const { certificates, standing, continuingEducation, verifyUrl } = useLoaderData<typeof loader>();
  const { t, date, number } = useT();
  return (
    <>
      <PageHeader title={t("registry.my.title")} badges={standing ? <StandingBadge standing={standing} /> : undefined} />
      {certificates.length === 0 ? (
        <EmptyState title={t("registry.my.none")}>{t("registry.my.noneHelp")}</EmptyState>
      ) : (
        <div className="grid gap-4">
          {certificates.map((c) => (
            <Card
              key={c.id}
              title={<code>{c.number}</code>}
              actions={
                <Link to={`/certificates/${encodeURIComponent(c.number)}`} reloadDocument className="inline-flex min-h-11 items-center">
                  {t("registry.profile.print")}
                </Link>
              }
            >
              <Facts>
                <Fact label={t("registry.col.certificateStatus")}>
                  <CertificateBadge standing={c.standing} />
                </Fact>
                <Fact label={t("registry.col.cohort")}>{t("registry.cohortN", { number: c.cohortNumber })}</Fact>
                <Fact label={t("registry.col.issued")}>{date(c.issuedOn)}</Fact>
                <Fact label={t("registry.col.expires")}>{date(c.expiresOn)}</Fact>
              </Facts>
              {c.renewals.length > 0 && (
                <>
                  <h3 className="mt-3 font-medium">{t("registry.profile.renewals")}</h3>
                  <ul className="text-sm">
                    {c.renewals.map((r) => (
                      <li key={r.id}>
                        {t("registry.profile.renewedLine", { date: date(r.renewedOn), until: date(r.newExpiresOn), was: date(r.previousExpiresOn) })}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </Card>
          ))}
          <p className="text-muted">{t("registry.my.verifyNote", { url: verifyUrl })}</p>
          <Card title={t("registry.ce.title")}>
            {continuingEducation.length === 0 ? (
              <p className="text-muted">{t("registry.ce.empty")}</p>
            ) : (
              <ul className="space-y-1">
                {continuingEducation.map((e) => (
                  <li key={e.id}>
                    {date(e.date)} · {number(e.hours)} {t("registry.ce.hours")} · {e.activity}
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
      )}
    </>
  );
}

export const meta = titled("registry.my.title");
