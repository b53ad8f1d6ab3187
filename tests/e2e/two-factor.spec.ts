/**
 * Journey: a person turns on two-step sign-in with an authenticator app (the codes are computed
 * here, as the app would), keeps the recovery codes, and from then on signs in with password and
 * code; a wrong code is refused with a message.
 */
import { createHmac } from "node:crypto";
import { expect, test } from "@playwright/test";
import { signIn, signOut } from "./helpers";

const LOGIN = "twofactor";
const PASSWORD = "two-factor-password";

function base32Decode(text: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const ch of text.replace(/=+$/, "").toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, "0");
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** RFC 6238 TOTP (SHA-1, 30 s, 6 digits) for the time step `step`. */
function totp(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, "0");
}

const stepNow = () => Math.floor(Date.now() / 30_000);

test("a person sets up two-step sign-in and then signs in with a code (English)", async ({ page }) => {
  // three password sign-ins and ten recovery codes hashed with argon2: 3 s on a quiet machine, past
  // the default 30 s once in CI while the machine was busy (28 Nov)
  test.setTimeout(90_000);
  await page.setExtraHTTPHeaders({ "Accept-Language": "en" });
  await signIn(page, LOGIN, PASSWORD);
  await page.goto("/account/two-factor");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Two-step sign-in");
  await page.getByRole("button", { name: "Set up two-step sign-in" }).click();
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);

  const enrolStep = stepNow();
  await page.getByRole("textbox", { name: "Code from your authenticator app", exact: false }).fill(totp(secret, enrolStep));
  await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  await expect(page.getByRole("heading", { name: "Your recovery codes" })).toBeVisible();
  await expect(page.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
  await page.getByRole("link", { name: "I have kept my codes: continue" }).click();
  await signOut(page);

  // the password alone now leads to the code page
  await signIn(page, LOGIN, PASSWORD);
  await expect(page).toHaveURL(/\/login\/two-factor/);
  const right = totp(secret, enrolStep + 1);
  const wrong = right === "000000" ? "111111" : "000000";
  const field = page.getByRole("textbox", { name: "Code from your authenticator app", exact: false });
  await field.fill(wrong);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("That code is not right, or it was already used.").first()).toBeVisible();
  // the next step's code (within the allowed drift; the enrolment's code cannot be used again)
  await field.fill(right);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("两步登录测试（虚构）");
});
