import { loggedPath, redactedMessage } from "~/http/log-redact";
import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer, isRouteErrorResponse } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "./components/nonce";
import { getDb } from "./db.server";
import { startDailySweep } from "./domain/notifications/daily.server";

export const streamTimeout = 5000;

// the day's notices (certificates expiring, clients overdue) while the server runs
startDailySweep(getDb);

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext?.cspNonce ?? "";
  const waitForAll = isbot(request.headers.get("user-agent") ?? "");
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={streamTimeout} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          const stream = createReadableStreamFromReadable(body);
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(`tongban: render error: ${error instanceof Error ? `${error.name}: ${redactedMessage(error.message)}` : "non-Error thrown"}`);
        },
      },
    );
    setTimeout(abort, streamTimeout + 1000);
  });
}

/**
 * Errors are logged without request data (no query strings, no form values). Answers the app
 * means to give (401, 403, 404 …) are not errors and are not logged.
 */
export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  // 503: the database cannot be written; app/db.server.ts has logged it once, with its SQLite code
  if (isRouteErrorResponse(error) && (error.status < 500 || error.status === 503)) return;
  if (error instanceof Response && (error.status < 500 || error.status === 503)) return;
  // no personal data in logs: the path's words only, the message redacted (app/http/log-redact.ts)
  const name = error instanceof Error ? `${error.name}: ${redactedMessage(error.message)}` : "non-Error thrown";
  console.error(`tongban: error on ${request.method} ${loggedPath(new URL(request.url).pathname)}: ${name}`);
}
