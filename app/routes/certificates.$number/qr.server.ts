/** The QR code on a printed certificate: an SVG pointing at the public verification page. */
import QRCode from "qrcode";

/** `${origin}/verify/${number}?code=${code}`: the page the QR code opens. */
export function verificationUrl(origin: string, number: string, code: string): string {
  return `${origin}/verify/${encodeURIComponent(number)}?code=${encodeURIComponent(code)}`;
}

/** An SVG document (no scripts, no styles: paths only) encoding the URL. */
export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: "svg", margin: 1, errorCorrectionLevel: "M", color: { dark: "#000000", light: "#ffffff" } });
}
