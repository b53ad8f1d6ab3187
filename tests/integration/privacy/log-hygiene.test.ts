/**
 * Log hygiene: marked values (an identity, free text, a password, a token) sent through every
 * form and every page's query string, by people of every role, never reach a log line; nor do
 * they when a request fails and the error is logged, or when the request log writes a path.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleError } from "~/entry.server";
import { loggedPath, redactedMessage } from "~/http/log-redact";
import { makeDistrict, makeRequest, makeSignedInUser, respond } from "../../factories";
import { makeSocialWorker } from "../../clients-factories";
import { ROUTES } from "../../route-modules";

/** Values no log line may ever hold; each one a kind of personal data or secret. */
const MARKS = {
  name: "王标记某某",
  idNumber: "310101199001019999",
  phone: "13900009999",
  text: "LEAKMARK free text 泄露标记",
  password: "LeakMarkPassword-42x",
  token: "leakmarktoken7z7z7z7z7z7z",
};
const VALUES = Object.values(MARKS);
/** the parts of each mark a leak would show: the whole value and its distinctive core */
const NEEDLES = [...VALUES, "标记", "LEAKMARK", "LeakMark", "leakmark", "199001019999", "00009999"];

const captured: string[] = [];
const originals = {
  log: console.log,
  info: console.info,
  warn: console.warn,
  error: console.error,
  debug: console.debug,
  out: process.stdout.write.bind(process.stdout),
  err: process.stderr.write.bind(process.stderr),
};

function capture() {
  const keep = (...args: unknown[]) => {
    captured.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === "string" ? a : JSON.stringify(a))).join(" "));
  };
  console.log = console.info = console.warn = console.error = console.debug = keep;
  process.stdout.write = ((chunk: unknown) => (captured.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: unknown) => (captured.push(String(chunk)), true)) as typeof process.stderr.write;
}

function release() {
  Object.assign(console, { log: originals.log, info: originals.info, warn: originals.warn, error: originals.error, debug: originals.debug });
  process.stdout.write = originals.out;
  process.stderr.write = originals.err;
}

/** Every form field name the route modules render (name="…"), so every form gets marked values. */
function fieldNames(): string[] {
  const names = new Set(["intent", "login", "password", "current", "next", "confirm", "code", "realName", "idNumber", "phone", "address", "summary", "note", "reason", "alias"]);
  for (const { file } of ROUTES) {
    const source = readFileSync(new URL(file, new URL("../../", import.meta.url)), "utf8");
    for (const m of source.matchAll(/name="([A-Za-z_][\w.-]{0,40})"/g)) names.add(m[1]!);
    for (const m of source.matchAll(/name=\{?`?"?([A-Za-z_]\w{0,40})/g)) names.add(m[1]!);
  }
  return [...names];
}

function markedForm(names: string[], pick: number): Record<string, string> {
  return Object.fromEntries(names.map((n, i) => [n, VALUES[(i + pick) % VALUES.length]!]));
}

function leaks(): string[] {
  return captured.filter((line) => NEEDLES.some((n) => line.includes(n)));
}

let users: { role: string; cookie: string }[] = [];
let names: string[] = [];

beforeAll(async () => {
  const districtId = makeDistrict().id;
  const sw = await makeSocialWorker(districtId);
  users = [
    { role: "admin", cookie: (await makeSignedInUser([{ role: "admin", districtId: null }])).cookie },
    { role: "coordinator", cookie: (await makeSignedInUser([{ role: "coordinator", districtId }])).cookie },
    { role: "social_worker", cookie: sw.cookie },
    { role: "peer_tutor", cookie: (await makeSignedInUser([{ role: "peer_tutor", districtId }])).cookie },
    { role: "anonymous", cookie: "" },
  ];
  names = fieldNames();
});

afterAll(release);

describe("no personal data in logs", () => {
  it("finds the forms' field names", () => {
    expect(names.length).toBeGreaterThan(40);
    expect(names).toEqual(expect.arrayContaining(["realName", "summary", "password"]));
  });

  it("marked values through every action and every page's query string, for every role, leave no trace in any log line", async () => {
    captured.length = 0;
    capture();
    try {
      for (const { mod, path, params, id } of ROUTES) {
        for (const [u, user] of users.entries()) {
          const markedParams = Object.fromEntries(Object.keys(params).map((k) => [k, id.includes("token") ? MARKS.token : params[k]!]));
          if (mod.loader) {
            const query = `?${new URLSearchParams({ q: MARKS.name, search: MARKS.text, alias: MARKS.name, token: MARKS.token, redirectTo: `/${MARKS.text}` })}`;
            const request = makeRequest(path + query, user.cookie ? { cookie: user.cookie } : {});
            await respond(() => mod.loader!({ request, params: markedParams, context: { cspNonce: "" } })).catch((e: unknown) => handleError(e, { request }));
          }
          if (mod.action) {
            const request = makeRequest(path, { method: "POST", form: markedForm(names, u), ...(user.cookie ? { cookie: user.cookie } : {}) });
            await respond(() => mod.action!({ request, params: markedParams, context: { cspNonce: "" } })).catch((e: unknown) => handleError(e, { request }));
          }
        }
      }
    } finally {
      release();
    }
    expect(leaks()).toEqual([]);
  }, 240_000);

  it("an unexpected error carrying personal data is logged without it", () => {
    captured.length = 0;
    capture();
    try {
      const request = new Request(`http://localhost/calendar/person/${MARKS.token}.ics?q=${encodeURIComponent(MARKS.name)}`);
      handleError(new Error(`could not save "${MARKS.text}" for ${MARKS.name} ${MARKS.idNumber} ${MARKS.phone} ${MARKS.token}`), { request });
    } finally {
      release();
    }
    expect(captured.length).toBe(1);
    expect(captured[0]).toContain("Error");
    expect(leaks()).toEqual([]);
  });

  it("the request log keeps only the path's words", () => {
    expect(loggedPath(`/clients/42/timeline`)).toBe("/clients/:x/timeline");
    expect(loggedPath(`/calendar/person/${MARKS.token}.ics`)).toBe("/calendar/person/:x");
    expect(loggedPath(`/verify/${encodeURIComponent(MARKS.name)}`)).toBe("/verify/:x");
    expect(redactedMessage(`UNIQUE constraint failed: clients.case_number`)).toBe("UNIQUE constraint failed: clients.case_number");
  });
});
