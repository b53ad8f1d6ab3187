import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useParams, useSearchParams } from "@remix-run/react";
import { titled } from "~/i18n/meta";
import { VerificationPage } from "./verify._index/verification";
import { verificationAnswer } from "./verify._index/verify.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  // public (PUBLIC_ROUTES): the target of a certificate's QR code, /verify/TB-C3-001?code=…;
  // the same rate limit and the same answers as /verify
  const code = new URL(request.url).searchParams.get("code");
  return verificationAnswer(request, params.number, code);
}

export default function VerifyFromLink() {
  const data = useLoaderData<typeof loader>();
  const params = useParams();
  const [search] = useSearchParams();
  return <VerificationPage data={data} number={params.number ?? ""} code={search.get("code") ?? ""} />;
}

export const meta = titled("registry.verify.title");
