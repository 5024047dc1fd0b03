import { InvalidSerialNumberError } from './certificate.errors.js';

/**
 * A certificate serial number: a positive integer of at most 20 octets (RFC 5280 §4.1.2.2).
 * Kept as canonical lowercase hex without leading zeros — never a JS number, which would lose
 * precision past 2^53. Accepts hex (optionally `0x`, `:`-separated) (use fromDecimal for decimal).
 */
export class SerialNumber {
  private constructor(readonly hex: string) {}

  static parse(input: string, field = 'serial'): SerialNumber {
    const raw = input.trim();
    const hex = raw.replace(/^0x/i, '').replace(/:/g, '');
    if (!/^[0-9a-fA-F]+$/.test(hex)) throw new InvalidSerialNumberError(field, input, 'is not hexadecimal');
    return SerialNumber.fromBigInt(BigInt('0x' + hex), field);
  }

  /** `123456` (decimal) → serial; OpenSSL's index.txt and most CA exports use hex instead. */
  static fromDecimal(input: string, field = 'serial'): SerialNumber {
    if (!/^\d+$/.test(input.trim())) throw new InvalidSerialNumberError(field, input, 'is not a decimal integer');
    return SerialNumber.fromBigInt(BigInt(input.trim()), field);
  }

  static fromBigInt(value: bigint, field = 'serial'): SerialNumber {
    if (value <= 0n) throw new InvalidSerialNumberError(field, value.toString(16), 'must be positive');
    const hex = value.toString(16);
    // 20 octets of content including a possible leading zero octet for the sign bit.
    const even = hex.length % 2 ? '0' + hex : hex;
    const contentOctets = even.length / 2 + (parseInt(even.slice(0, 2), 16) & 0x80 ? 1 : 0);
    if (contentOctets > 20) throw new InvalidSerialNumberError(field, hex, 'is longer than 20 octets');
    return new SerialNumber(hex);
  }

  /**
   * From the content octets of a DER INTEGER as found in a CertID. Non-positive or overlong
   * values are not rejected here: a request may ask about anything, it will simply be unknown.
   */
  static fromDerContent(content: Uint8Array): string {
    return Buffer.from(content).toString('hex').replace(/^0+(?=.)/, '');
  }

  get bigint(): bigint {
    return BigInt('0x' + this.hex);
  }

  /** Big-endian magnitude bytes. */
  toBytes(): Buffer {
    return Buffer.from(this.hex.length % 2 ? '0' + this.hex : this.hex, 'hex');
  }

  toString(): string {
    return this.hex;
  }
}
