/** The shared field rules every form and import uses (app/domain/shared/fields.ts). */
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { checkbox, choice, id, int, isoDate, loginName, msg, newPassword, optionalId, optionalText, text, time24 } from "~/domain/shared/fields";

function errorOf(schema: z.ZodType, value: unknown): string | null {
  const r = schema.safeParse(value);
  return r.success ? null : r.error.issues[0]!.message;
}

describe("msg", () => {
  it("encodes parameters after the key", () => {
    expect(msg("form.tooLong", { max: 80 })).toBe("form.tooLong?max=80");
    expect(msg("form.required")).toBe("form.required");
  });
});

describe("text()", () => {
  const name = text({ max: 10 });

  it("trims and accepts ordinary Chinese and English text", () => {
    expect(name.parse("  测试用户（虚构） ")).toBe("测试用户（虚构）");
    expect(name.parse("Test Name")).toBe("Test Name");
  });

  it("rejects an empty or blank value as required", () => {
    expect(errorOf(name, "")).toBe("form.required");
    expect(errorOf(name, "   ")).toBe("form.required");
    expect(errorOf(name, undefined)).toBe("form.required");
  });

  it("rejects an over-long value with its limit", () => {
    expect(errorOf(name, "x".repeat(11))).toBe("form.tooLong?max=10");
    expect(errorOf(name, "x".repeat(10))).toBeNull();
  });

  it("rejects control characters", () => {
    for (const c of ["\u0000", "\u0007", "\u001b", "\u007f", "\u0085", "\u009f"]) {
      expect(errorOf(name, `ab${c}cd`)).toBe("form.controlChars");
    }
  });

  it("rejects line breaks in single-line text but keeps them in multiline text", () => {
    expect(errorOf(name, "ab\ncd")).toBe("form.controlChars");
    expect(errorOf(name, "ab\rcd")).toBe("form.controlChars");
    expect(text({ max: 50, multiline: true }).parse("line one\r\nline two")).toBe("line one\r\nline two");
    expect(errorOf(text({ max: 50, multiline: true }), "line\u0000two")).toBe("form.controlChars");
  });

  it("rejects lone surrogates but accepts a paired one (an emoji)", () => {
    expect(errorOf(name, "ab\ud800")).toBe("form.controlChars");
    expect(errorOf(name, "\udc00ab")).toBe("form.controlChars");
    expect(name.parse("ok 😀")).toBe("ok 😀");
  });

  it("rejects a value that is not a string", () => {
    expect(errorOf(name, 12)).toBe("form.required");
  });

  it("enforces a minimum length above one", () => {
    expect(errorOf(text({ max: 10, min: 3 }), "ab")).toBe("form.tooShort?min=3");
  });
});

describe("optionalText()", () => {
  const note = optionalText({ max: 5 });
  it("turns a missing value into an empty string", () => {
    expect(note.parse(undefined)).toBe("");
    expect(note.parse("  ")).toBe("");
  });
  it("still rejects over-long values and control characters", () => {
    expect(errorOf(note, "123456")).toBe("form.tooLong?max=5");
    expect(errorOf(note, "a\u0001")).toBe("form.controlChars");
  });
  it("rejects line breaks unless multiline, like text()", () => {
    expect(errorOf(note, "a\nb")).toBe("form.controlChars");
    expect(errorOf(note, "a\rb")).toBe("form.controlChars");
    expect(optionalText({ max: 20, multiline: true }).parse("line 1\nline 2")).toBe("line 1\nline 2");
  });
});

describe("int()", () => {
  const hours = int({ min: 0, max: 24 });
  it("accepts whole numbers inside the range", () => {
    expect(hours.parse("0")).toBe(0);
    expect(hours.parse(" 24 ")).toBe(24);
  });
  it("rejects numbers outside the range with the range in the message", () => {
    expect(errorOf(hours, "25")).toBe("form.numberRange?min=0&max=24");
    expect(errorOf(hours, "-1")).toBe("form.numberRange?min=0&max=24");
  });
  it("rejects fractions, words, exponents and empty values", () => {
    expect(errorOf(hours, "1.5")).toBe("form.notANumber");
    expect(errorOf(hours, "abc")).toBe("form.notANumber");
    expect(errorOf(hours, "1e3")).toBe("form.notANumber");
    expect(errorOf(hours, "")).toBe("form.required");
    expect(errorOf(hours, "9".repeat(16))).toBe("form.notANumber");
  });
});

describe("id and optionalId()", () => {
  it("accepts positive whole numbers only", () => {
    expect(id.parse("42")).toBe(42);
    for (const bad of ["0", "-1", "01", "1.0", "abc", "", "1 OR 1=1"]) expect(errorOf(id, bad)).toBe("form.unknownId");
  });
  it("turns an empty optional id into null", () => {
    expect(optionalId().parse("")).toBeNull();
    expect(optionalId().parse(undefined)).toBeNull();
    expect(optionalId().parse("7")).toBe(7);
    expect(optionalId().safeParse("x").success).toBe(false);
  });
});

describe("isoDate", () => {
  it("accepts real calendar dates, including 29 February of a leap year", () => {
    expect(isoDate.parse("2026-11-28")).toBe("2026-11-28");
    expect(isoDate.parse("2028-02-29")).toBe("2028-02-29");
  });
  it("rejects dates that do not exist and other shapes", () => {
    for (const bad of ["2026-02-30", "2026-02-29", "2026-13-01", "2026-00-10", "2026-1-5", "28/11/2026", "2026-11-28T00:00", ""]) {
      expect(errorOf(isoDate, bad)).toBe("form.invalidDate");
    }
  });
});

describe("time24", () => {
  it("accepts 24-hour times and rejects others", () => {
    expect(time24.parse("09:30")).toBe("09:30");
    expect(time24.parse("23:59")).toBe("23:59");
    for (const bad of ["24:01", "9:30", "12:60", "7pm", ""]) expect(errorOf(time24, bad)).toBe("form.invalidTime");
  });
});

describe("choice() and checkbox", () => {
  it("accepts only listed values", () => {
    const kind = choice(["phone", "visit"]);
    expect(kind.parse("visit")).toBe("visit");
    expect(errorOf(kind, "email")).toBe("form.unknownChoice");
  });
  it("reads a checkbox as present or absent", () => {
    expect(checkbox.parse("on")).toBe(true);
    expect(checkbox.parse(undefined)).toBe(false);
    expect(checkbox.parse("no")).toBe(false);
  });
});

describe("loginName", () => {
  it("lower-cases and trims a valid login name", () => {
    expect(loginName.parse("  Zhang.Wei-01 ")).toBe("zhang.wei-01");
  });
  it("rejects names that start with punctuation or hold spaces or Chinese characters", () => {
    for (const bad of [".zhang", "-x", "zhang wei", "张伟", "a/b", "a@b"]) expect(errorOf(loginName, bad)).toBe("admin.users.loginFormat");
  });
  it("rejects an empty or over-long login name", () => {
    expect(errorOf(loginName, "")).toBe("form.required");
    expect(errorOf(loginName, "a".repeat(65))).toBe("form.tooLong?max=64");
  });
});

describe("newPassword", () => {
  it("requires at least 10 characters and at most 256", () => {
    expect(errorOf(newPassword, "short-pw")).toBe("form.tooShort?min=10");
    expect(errorOf(newPassword, "x".repeat(257))).toBe("form.tooLong?max=256");
    expect(newPassword.parse("long enough pass")).toBe("long enough pass");
  });
  it("rejects control characters", () => {
    expect(errorOf(newPassword, "long enough\u0000pass")).toBe("form.controlChars");
  });
});
