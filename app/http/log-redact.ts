/**
 * What the server may write to its logs about a request or an error. Logs leave the database's
 * protection (they are copied, rotated, sent to monitoring), so they must hold no personal data:
 * no identity fields, no free text, no passwords or tokens, no names typed into a URL or a form.
 * No imports: the production server bundle uses this file too.
 */

/** The path as the request log writes it: words kept, everything else (ids, certificate numbers, calendar tokens, names) ":x". No query string ever. */
export function loggedPath(pathname: string): string {
  const segments = pathname.slice(0, 300).split("/");
  return segments.map((s) => (s === "" || /^[a-z][a-z-]{0,40}(\.[a-z]{1,5})?$/.test(s) ? s : ":x")).join("/") || "/";
}

/**
 * An error message as the log writes it: the first line, with quoted text, anything outside
 * printable ASCII (names in Chinese), long numbers (ID and phone numbers) and token-like words
 * replaced. What is left says what went wrong in the code, not about whom.
 */
export function redactedMessage(message: string): string {
  return message
    .split("\n", 1)[0]!
    .slice(0, 300)
    .replace(/"[^"]*"|'[^']*'|`[^`]*`|“[^”]*”/g, "…")
    .replace(/[^\x20-\x7e]+/g, "?")
    .replace(/\d{4,}/g, "#")
    .replace(/\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{12,}\b/g, ":x")
    .replace(/\S+@\S+/g, ":email");
}
