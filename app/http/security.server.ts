/** Security headers, in one place (CONVENTIONS.md pattern 11). The server sets them on every response. */
export function securityHeaders(nonce: string, options: { dev: boolean }): Record<string, string> {
  const script = [`'self'`, `'nonce-${nonce}'`];
  const style = [`'self'`, `'nonce-${nonce}'`];
  const connect = [`'self'`];
  if (options.dev) {
    style.push(`'unsafe-inline'`); // Vite injects styles during development
    connect.push("ws:", "wss:");
  }
  const csp = [
    `default-src 'self'`,
    `script-src ${script.join(" ")}`,
    `style-src ${style.join(" ")}`,
    `img-src 'self' data:`,
    `font-src 'self'`,
    `connect-src ${connect.join(" ")}`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self'`,
    `frame-ancestors 'none'`,
  ].join("; ");
  return {
    "Content-Security-Policy": csp,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
  };
}
