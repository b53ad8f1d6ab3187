/** HTTP helpers for the performance scripts: signing in as a person does, and reading pages. */

export const DEMO_PASSWORD = "tongban-demo";

/** Signs in through POST /login, as the form does; returns the Cookie header value. */
export async function signIn(base: string, login: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ login, password, redirectTo: "/" }).toString(),
  });
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .find((c) => c.startsWith("tb_session="));
  if (res.status !== 302 || !cookie) throw new Error(`signing in as ${login} failed: HTTP ${res.status}`);
  return cookie;
}

/** GET a page; returns the status and the body. */
export async function getPage(base: string, path: string, cookie?: string): Promise<{ status: number; body: string; location: string | null }> {
  const res = await fetch(base + path, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
  return { status: res.status, body: await res.text(), location: res.headers.get("location") };
}

/**
 * POST a form as a browser without JavaScript does. A success is the redirect after the write
 * (302/303 with a Location); anything else is returned as is.
 */
export async function postForm(
  base: string,
  path: string,
  cookie: string,
  fields: [string, string][],
  timeoutMs = 30_000,
): Promise<{ status: number; location: string | null }> {
  const res = await fetch(base + path, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
    signal: AbortSignal.timeout(timeoutMs),
  });
  await res.arrayBuffer();
  return { status: res.status, location: res.headers.get("location") };
}

/** The current wall-clock minute in Asia/Shanghai as a datetime-local value ("2026-11-28T14:30"), `minutesAgo` earlier. */
export function shanghaiLocalInput(minutesAgo = 5, timeZone = "Asia/Shanghai"): string {
  const at = new Date(Date.now() - minutesAgo * 60_000);
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(at);
  const v = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${v("year")}-${v("month")}-${v("day")}T${v("hour")}:${v("minute")}`;
}

/** The fields of the contact form (app/routes/clients.$id.contacts.tsx) for one phone call. */
export function contactFields(summary: string, timeZone?: string): [string, string][] {
  return [
    ["intent", "save"],
    ["type", "phone"],
    ["happenedAt", shanghaiLocalInput(5, timeZone)],
    ["durationMinutes", "10"],
    ["summary", summary],
    ["mood", "stable"],
    ["riskObservation", ""],
    ["nextContactDue", ""],
  ];
}

/** Percentile (0–100) of a list of numbers (nearest rank). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** The non-empty option values of a <select name="…"> in a page's HTML, in order. */
export function selectOptions(html: string, name: string): string[] {
  const m = new RegExp(`<select[^>]*\\bname="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(html);
  if (!m) return [];
  return [...m[1]!.matchAll(/<option[^>]*\bvalue="([^"]*)"/g)].map((o) => o[1]!).filter((v) => v !== "");
}
