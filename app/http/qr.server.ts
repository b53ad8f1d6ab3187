import QRCode from "qrcode";

/** A QR code as an SVG document (paths only: no scripts, no styles) encoding the text. */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: "svg", margin: 1, errorCorrectionLevel: "M", color: { dark: "#000000", light: "#ffffff" } });
}
