/** The header the Express server sets from the socket (or the trusted proxy); any client value is overwritten. */
export const CLIENT_IP_HEADER = "x-tongban-client-ip";

export function clientIp(request: Request): string {
  return request.headers.get(CLIENT_IP_HEADER) ?? "";
}

export function userAgent(request: Request): string {
  return request.headers.get("User-Agent") ?? "";
}

/** Only same-site paths: "/clients?x=1" yes; "//evil.example", "https://…", "/\\evil" no. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  if (/[\u0000-\u001f\u007f]/.test(to)) return fallback;
  try {
    const url = new URL(to, "http://tongban.invalid");
    if (url.origin !== "http://tongban.invalid") return fallback;
    // dot segments normalise away: "/.//evil.example" becomes "//evil.example", which a browser
    // reads as another host, so the normalised path is checked again
    if (url.pathname.startsWith("//") || url.pathname.startsWith("/\\")) return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}
