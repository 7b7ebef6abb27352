/**
 * The codes of French communes, one rule each for the whole product: the postcode (5 digits; a
 * spreadsheet that stored it as a number lost the leading zero: 1000 is 01000) and the INSEE code of the
 * COG (5 characters, Corsica with 2A/2B).
 */
const POSTCODE = /^\d{5}$/;
const INSEE_CODE = /^([013-9]\d|2[AB1-9])\d{3}$/;

/** A postcode as people or spreadsheets write it ("45 000", "1000", "45000.0") → "45000", or null. */
export function normalizePostcode(text: string): string | null {
  if (POSTCODE.test(text)) return text;
  let code = text.replace(/\s/g, '').replace(/\.0+$/, '');
  if (/^\d{4}$/.test(code)) code = `0${code}`;
  return POSTCODE.test(code) ? code : null;
}

export function isPostcode(text: string): boolean {
  return POSTCODE.test(text);
}

/** An INSEE commune code as written ("2a004", "1053") → "2A004", "01053", or null. */
export function normalizeInseeCode(text: string): string | null {
  if (INSEE_CODE.test(text)) return text;
  let code = text.replace(/\s/g, '').toUpperCase();
  if (/^\d{4}$/.test(code)) code = `0${code}`;
  return INSEE_CODE.test(code) ? code : null;
}

export function isInseeCode(text: string): boolean {
  return INSEE_CODE.test(text);
}

/**
 * The départements a postcode can belong to, read from its digits: the first two, three overseas (97x,
 * 98x), and both Corsican départements for 20xxx (Corsica's postcodes kept the old number 20).
 */
export function departementsOfPostcode(postcode: string): string[] {
  if (postcode.startsWith('20')) return ['2A', '2B'];
  if (postcode.startsWith('97') || postcode.startsWith('98')) return [postcode.slice(0, 3)];
  return [postcode.slice(0, 2)];
}

/** The département of an INSEE commune code: two characters (2A, 2B for Corsica), three overseas. */
export function departementOfInseeCode(code: string): string {
  return code.startsWith('97') || code.startsWith('98') ? code.slice(0, 3) : code.slice(0, 2);
}
