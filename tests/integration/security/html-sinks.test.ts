/**
 * Stored script never renders unescaped (issue 8 item 7): React escapes every text it renders, so
 * the only ways user data could reach the page as markup are the raw-HTML sinks. They appear in
 * app/ only where this allow-list says, each with its reason, and each allowed one never receives
 * user text: the QR codes are SVG paths that encode their text as black squares (proved below with
 * hostile text), the print stylesheet is a constant.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkInQrSvg } from "~/domain/sessions/attendance.server";
import { qrSvg } from "~/http/qr.server";
import { HOSTILE_SEED, hostileString, IMG_ONERROR, SCRIPT } from "../../hostile";

const appDir = fileURLToPath(new URL("../../../app/", import.meta.url));

/** Raw-HTML sinks and eval-likes that would turn text into markup or code. */
const SINK = /dangerouslySetInnerHTML|\binnerHTML\b|\bouterHTML\b|insertAdjacentHTML|document\.write|\beval\(|new Function\(/g;

/** file (under app/) → the expression handed to __html there, and why it is safe. */
const ALLOWED: Record<string, { html: string; reason: string }[]> = {
  "routes/sessions_.$id.attendance.tsx": [{ html: "checkIn.svg", reason: "QR code SVG from checkInQrSvg (qrcode library, paths only) of our own check-in URL" }],
  "routes/certificates.$number/sheet.tsx": [
    { html: "PRINT_CSS", reason: "a constant stylesheet for printing, no data in it" },
    { html: "data.qrSvg", reason: "QR code SVG from qrSvg (qrcode library, paths only) of the verification URL" },
  ],
  "routes/account.two-factor.tsx": [{ html: "data.pending.qr", reason: "QR code SVG from qrSvg (qrcode library, paths only) of the otpauth URI" }],
};

function sources(): [string, string][] {
  return (readdirSync(appDir, { recursive: true }) as string[])
    .filter((f) => /\.(tsx?|jsx?)$/.test(f))
    .map((f) => [f.split(path.sep).join("/"), readFileSync(path.join(appDir, f), "utf8")]);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Only what an SVG of the qrcode library holds: svg and path elements, no script, no event handler, no link. */
function expectInertSvg(svg: string) {
  const tags = [...svg.matchAll(/<\/?([a-zA-Z][\w:-]*)/g)].map((m) => m[1]!.toLowerCase());
  expect(new Set(tags)).toEqual(new Set(["svg", "path"]));
  expect(svg).not.toMatch(/\son\w+\s*=|javascript:|<script|href|xlink|<foreignObject|&lt;|onerror/i);
  expect(svg).not.toContain(SCRIPT);
}

describe("raw-HTML sinks in app/", () => {
  it("appear only in the allow-list, each handing __html the allowed expression", () => {
    const found: string[] = [];
    for (const [file, source] of sources()) {
      for (const m of source.matchAll(SINK)) {
        const html = source.slice(m.index).match(/^dangerouslySetInnerHTML=\{\{\s*__html:\s*([\w.$]+)\s*\}\}/)?.[1] ?? m[0];
        found.push(`${file} ${html}`);
      }
    }
    const allowed = Object.entries(ALLOWED).flatMap(([file, uses]) => uses.map((u) => `${file} ${u.html}`));
    expect(found.sort()).toEqual(allowed.sort());
  });

  it("each allowed use states its reason", () => {
    for (const uses of Object.values(ALLOWED)) for (const u of uses) expect(u.reason.length).toBeGreaterThan(20);
  });

  it("the print stylesheet is a constant without interpolation", () => {
    const source = readFileSync(path.join(appDir, "routes/certificates.$number/sheet.tsx"), "utf8");
    const css = source.match(/const PRINT_CSS = `([^`]*)`/)?.[1];
    expect(css).toBeDefined();
    expect(css).not.toContain("${");
  });

  it("the allowed QR codes stay inert SVG (paths only) whatever text they encode, script and markup included", async () => {
    expectInertSvg(await qrSvg(`otpauth://totp/Tongban:${encodeURIComponent(SCRIPT)}?secret=ABC`));
    expectInertSvg(await checkInQrSvg(`http://localhost/sessions/1/check-in?t=${IMG_ONERROR}`));
    await fc.assert(
      // the codes encode URLs the app builds (encodeURIComponent refuses lone surrogates before they get here)
      fc.asyncProperty(hostileString().filter((s) => s.length < 300 && !LONE_SURROGATE.test(s)), async (s) => {
        expectInertSvg(await qrSvg(s));
        expectInertSvg(await checkInQrSvg(s));
      }),
      { seed: HOSTILE_SEED, numRuns: 40 },
    );
  });
});
