/** The QR code on a printed certificate: an SVG pointing at the public verification page. */
import { qrSvg } from "~/http/qr.server";

export { qrSvg };

/** `${origin}/verify/${number}?code=${code}`: the page the QR code opens. */
export function verificationUrl(origin: string, number: string, code: string): string {
  return `${origin}/verify/${encodeURIComponent(number)}?code=${encodeURIComponent(code)}`;
}
