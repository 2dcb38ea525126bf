import { base32Decode } from '../infra/base32';

/** StrKey version byte of an ed25519 account id (the `G…` prefix): 6 << 3. */
const ACCOUNT_ID_VERSION = 6 << 3;

/**
 * Whether `value` is a Stellar account id as the SDKs write it: 56 base32
 * characters decoding to the version byte, a 32-byte ed25519 key and a
 * CRC16-XModem checksum (little-endian) of those 33 bytes.
 */
export function isStellarPublicKey(value: string): boolean {
  if (!/^G[A-Z2-7]{55}$/.test(value)) return false;
  const bytes = base32Decode(value);
  if (bytes.length !== 35 || bytes[0] !== ACCOUNT_ID_VERSION) return false;
  const checksum = crc16xmodem(bytes.subarray(0, 33));
  return bytes[33] === (checksum & 0xff) && bytes[34] === checksum >> 8;
}

function crc16xmodem(data: Uint8Array): number {
  let crc = 0;
  for (const byte of data) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}
