/**
 * Reads the import page's multipart upload: the CSV goes straight to a temporary file under
 * data/tmp (never into memory), refused past MAX_UPLOAD_BYTES; the other fields are short texts.
 */
import { closeSync, openSync, rmSync, writeSync } from "node:fs";
import { unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { MAX_UPLOAD_BYTES } from "~/domain/data/formats";
import { tmpUploadPath } from "~/domain/data/tmp.server";

export type Upload =
  | { ok: true; fields: Record<string, string>; file: { path: string; name: string } | null }
  | { ok: false; reason: "tooBig" | "badUpload" };

class TooBig extends Error {}

const FIELD_MAX = 200;

export async function readUpload(request: Request, dir: string): Promise<Upload> {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > MAX_UPLOAD_BYTES + 64 * 1024) return { ok: false, reason: "tooBig" };
  let file: { path: string; name: string } | null = null;
  const fields: Record<string, string> = {};
  const handler: UploadHandler = async ({ name, filename, data }) => {
    if (name === "file" && filename !== undefined) {
      if (file) {
        // one file only: the rest is ignored
        for await (const _ of data) void _;
        return undefined;
      }
      const path = tmpUploadPath(dir);
      const fd = openSync(path, "w", 0o600);
      file = { path, name: filename.slice(0, 200) };
      let size = 0;
      try {
        for await (const chunk of data) {
          size += chunk.length;
          if (size > MAX_UPLOAD_BYTES) throw new TooBig();
          writeSync(fd, chunk);
        }
      } finally {
        closeSync(fd);
      }
      if (size === 0 && filename === "") {
        rmSync(path, { force: true });
        file = null;
      }
      return undefined;
    }
    let text = "";
    const decoder = new TextDecoder();
    for await (const chunk of data) if (text.length <= FIELD_MAX) text += decoder.decode(chunk, { stream: true });
    fields[name] = text.slice(0, FIELD_MAX);
    return undefined;
  };
  try {
    await unstable_parseMultipartFormData(request, handler);
  } catch (e) {
    if (file) rmSync((file as { path: string }).path, { force: true });
    return { ok: false, reason: e instanceof TooBig ? "tooBig" : "badUpload" };
  }
  return { ok: true, fields, file };
}
