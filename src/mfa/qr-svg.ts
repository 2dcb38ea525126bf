import { toString } from 'qrcode';

/** The otpauth URL as an SVG QR code (error correction M), for an authenticator app to scan. */
export function qrSvg(text: string): Promise<string> {
  return toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}
