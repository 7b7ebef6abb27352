/**
 * Phone numbers, one rule for the whole product: any usual French writing (spaces, dots, dashes, a
 * leading 0, +33, 0033, a number that lost its leading zero in a spreadsheet, overseas departments) in,
 * the national schema's international form out (+33238000000, +262692123456). Shown back in the French
 * way, grouped by two (02 38 00 00 00).
 */
export const PHONE_PATTERN = /^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)(\d){6,9}$/;
const PHONE_COUNTRY_CODES = ['+33', '+590', '+594', '+262', '+596', '+269', '+687', '+689', '+508', '+681'];
/**
 * Overseas departments share the French 10-digit plan but have their own country code: 0590 12 34 56 is
 * +590 590 12 34 56 from abroad (https://www.arcep.fr, plan de numérotation).
 */
const OVERSEAS_NATIONAL_PREFIXES: readonly (readonly [string, string])[] = [
  ['0590', '+590'],
  ['0690', '+590'],
  ['0594', '+594'],
  ['0694', '+594'],
  ['0596', '+596'],
  ['0696', '+596'],
  ['0262', '+262'],
  ['0692', '+262'],
  ['0693', '+262'],
  ['0269', '+262'],
  ['0639', '+262'],
];

/** One phone number in any usual French writing → the schema's form (+33238000000), or null. */
export function normalizePhone(candidate: string): string | null {
  let phone = candidate.replace(/\(0\)/g, '').replace(/[\s.\-/()]/g, '');
  if (phone.startsWith('00')) phone = `+${phone.slice(2)}`;
  if (phone.startsWith('+')) {
    const countryCode = PHONE_COUNTRY_CODES.find((code) => phone.startsWith(code));
    if (countryCode === undefined) return null;
    // The schema drops the national trunk zero after the country code: +33 0238… → +33238…
    phone = countryCode + phone.slice(countryCode.length).replace(/^0/, '');
  } else if (/^0\d{9}$/.test(phone)) {
    const overseas = OVERSEAS_NATIONAL_PREFIXES.find(([prefix]) => phone.startsWith(prefix));
    phone = (overseas ? overseas[1] : '+33') + phone.slice(1);
  } else if (/^[1-9]\d{8}$/.test(phone)) {
    // A number stored as a number in a spreadsheet lost its leading zero: 238000000 is 02 38 00 00 00.
    phone = `+33${phone}`;
  } else {
    return null;
  }
  return PHONE_PATTERN.test(phone) ? phone : null;
}

/**
 * A stored number as people write it: "02 38 00 00 00", overseas "06 92 12 34 56"; a number of another
 * plan (New Caledonia, Polynesia…) keeps its country code ("+687 12 34 56"). Anything else is shown as is.
 */
export function formatPhone(phone: string): string {
  const digits = phone.replace(/[^\d+]/g, '');
  const code = PHONE_COUNTRY_CODES.find((c) => digits.startsWith(c));
  const rest = code ? digits.slice(code.length) : digits;
  const national = code && rest.length === 9 ? `0${rest}` : code ? null : digits;
  if (national && /^0\d{9}$/.test(national)) return national.replace(/(\d{2})(?=\d)/g, '$1 ');
  if (code) return `${code} ${rest.replace(/(\d{2})(?=\d)/g, '$1 ')}`;
  return phone;
}

/** The tel: link of a number (digits and the leading +). */
export function phoneHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, '')}`;
}
