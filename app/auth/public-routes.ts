/**
 * Routes that answer without sign-in. Short on purpose: the route-guard test fails when a route
 * neither guards itself nor is listed here.
 */
export const PUBLIC_ROUTES = [
  "routes/login", // the sign-in form
  "routes/logout", // ending a session needs none
  "routes/locale", // the language switch, also on the sign-in page
  "routes/healthz", // operators' health check
  "routes/verify._index", // certificate verification form: anyone checks a peer tutor's certificate (rate-limited, reveals nothing)
  "routes/verify.$number", // the same, opened from a certificate's QR code
  "routes/calendar.person.$token", // a person's ICS feed: calendar programs cannot sign in; the secret, revocable token (stored hashed) is the credential; 404 otherwise
] as const;

/**
 * Routes open to anyone signed in, whatever their roles: their own home, account and session.
 * Every other route must answer 403 to a signed-in person without a role.
 */
export const ANY_SIGNED_IN_ROUTES = [
  "routes/_index",
  "routes/account.password",
  "routes/session.keepalive",
  "routes/login_.two-factor", // the code after the password: only for a session waiting for it, else a redirect
  "routes/account.two-factor", // one's own second factor
  "routes/account.sessions", // one's own sessions and devices
] as const;
