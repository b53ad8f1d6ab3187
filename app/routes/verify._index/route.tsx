import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { titled } from "~/i18n/meta";
import { VerificationPage } from "./verification";
import { verificationAnswer, verificationForm } from "./verify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  // public (PUBLIC_ROUTES): anyone may verify a certificate by its number and code; rate-limited
  // per address, and the answer reveals nothing about numbers that do not match
  const url = new URL(request.url);
  const number = url.searchParams.get("number");
  const code = url.searchParams.get("code");
  if (number === null && code === null) return verificationForm();
  return verificationAnswer(request, number, code);
}

export default function Verify() {
  const data = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  return <VerificationPage data={data} number={search.get("number") ?? ""} code={search.get("code") ?? ""} />;
}

export const meta = titled("registry.verify.title");
