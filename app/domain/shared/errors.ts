/**
 * A rule of the domain said no. `key` is a message key (with optional ?params, see fields.ts msg);
 * `field` names the form field it belongs to, when there is one. Routes turn it into a 400 with
 * the field message; it never becomes a 500.
 */
export class DomainError extends Error {
  constructor(
    readonly key: string,
    readonly field: string = "_form",
  ) {
    super(key);
    this.name = "DomainError";
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
