/**
 * Membership certificate numbers: 12 random symbols from Crockford's base32 alphabet (no I, L, O or U,
 * so nothing reads ambiguously over the phone) plus one Luhn mod 32 check symbol, shown in groups as
 * `XXXX-XXXX-XXXXC`. 60 random bits make a number infeasible to guess; the check symbol catches every
 * single mistyped symbol and most swaps of neighbours before a lookup is even tried. Pure: the random
 * bytes come from the caller (node:crypto in the service), so this is unit-testable and
 * workflow-safe. Uniqueness is the database's job (`memberships.certificate_number UNIQUE`).
 */

export const CERTIFICATE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const N = CERTIFICATE_ALPHABET.length; // 32
export const CERTIFICATE_DATA_LENGTH = 12;

function codePoint(symbol: string): number {
  const index = CERTIFICATE_ALPHABET.indexOf(symbol);
  if (index < 0) throw new Error(`"${symbol}" is not a certificate symbol`);
  return index;
}

/** The Luhn mod N check symbol for `data` (symbols of the alphabet). */
export function checkSymbol(data: string): string {
  let factor = 2;
  let sum = 0;
  for (let i = data.length - 1; i >= 0; i -= 1) {
    let addend = factor * codePoint(data[i]!);
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / N) + (addend % N);
    sum += addend;
  }
  return CERTIFICATE_ALPHABET[(N - (sum % N)) % N]!;
}

/** Formats 13 symbols as `XXXX-XXXX-XXXXC`. */
function group(symbols: string): string {
  return `${symbols.slice(0, 4)}-${symbols.slice(4, 8)}-${symbols.slice(8)}`;
}

/** A new certificate number from at least 12 random bytes (only the low 5 bits of each are used). */
export function certificateFromRandom(bytes: Uint8Array): string {
  if (bytes.length < CERTIFICATE_DATA_LENGTH) throw new Error('need 12 random bytes');
  let data = '';
  for (let i = 0; i < CERTIFICATE_DATA_LENGTH; i += 1) data += CERTIFICATE_ALPHABET[bytes[i]! & 31];
  return group(data + checkSymbol(data));
}

/**
 * Reads what a person typed or said: case, spaces and hyphens do not matter, and the look-alikes
 * Crockford's decoding maps (I and L → 1, O → 0) are accepted. Returns the canonical grouped form, or
 * null when it is not a well-formed number with a correct check symbol.
 */
export function normalizeCertificate(input: string): string | null {
  const symbols = input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (symbols.length !== CERTIFICATE_DATA_LENGTH + 1) return null;
  if (![...symbols].every((s) => CERTIFICATE_ALPHABET.includes(s))) return null;
  const data = symbols.slice(0, CERTIFICATE_DATA_LENGTH);
  if (checkSymbol(data) !== symbols[CERTIFICATE_DATA_LENGTH]) return null;
  return group(symbols);
}

export function isValidCertificate(input: string): boolean {
  return normalizeCertificate(input) !== null;
}
