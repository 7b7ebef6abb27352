/**
 * SIREN numbers (INSEE's identifier of a company or a public body): 9 digits whose Luhn checksum is a
 * multiple of 10 (https://www.insee.fr, « Le numéro SIREN »). Typed with spaces or dots ("224 500 018")
 * and stored as 9 digits. `000000000` is how files say "unknown": never a valid SIREN.
 */

/** The digits people typed, without spaces, dots or non-breaking spaces. */
export function compactSiren(text: string): string {
  return text.replace(/[\s.\u00a0\u202f]/g, '');
}

/** The Luhn check over a string of digits: from the right, every second digit doubled (minus 9 past 9). */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Whether the text is a valid SIREN once spaces and dots are removed: 9 digits, Luhn, not all zeros. */
export function isValidSiren(text: string): boolean {
  const siren = compactSiren(text);
  return /^\d{9}$/.test(siren) && !/^0+$/.test(siren) && luhnValid(siren);
}

/** "224500018" → "224 500 018", as printed on French documents. */
export function formatSiren(siren: string): string {
  return /^\d{9}$/.test(siren) ? `${siren.slice(0, 3)} ${siren.slice(3, 6)} ${siren.slice(6)}` : siren;
}
