import type { ActionFunctionArgs } from "@remix-run/node";
import { requireApiUser } from "~/auth/guards.server";

// any signed-in person: a POST slides the idle expiry (GET never writes, ADR 0002)
export async function action({ request }: ActionFunctionArgs) {
  requireApiUser(request);
  return new Response(null, { status: 204 });
}

export async function loader({ request }: ActionFunctionArgs) {
  requireApiUser(request);
  return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
}
