/**
 * French company numbers: a SIREN (9 digits, the company) and a SIRET (14 digits: the SIREN and a 5-digit
 * NIC, one establishment). Both carry a Luhn check digit (INSEE), except the establishments of La Poste
 * (SIREN 356 000 000), whose SIRETs follow their own rule: the sum of the 14 digits is a multiple of 5.
 * `00000000000000` is the national schema's placeholder for "unknown": never a valid SIRET. The SIREN
 * and the Luhn check itself are in siren.ts.
 */
import { isValidSiren, luhnValid } from './siren.ts';

/** SIREN of La Poste: its thousands of establishments could not all get a Luhn-valid NIC. */
export const LA_POSTE_SIREN = '356000000';
/** What the national schema writes when the SIRET is unknown. */
export const UNKNOWN_SIRET = '00000000000000';

/**
 * A SIRET: 14 digits passing the Luhn check, its first 9 (the SIREN) passing it too; or, for La Poste's
 * establishments, 14 digits adding up to a multiple of 5. All zeros ("unknown") is never valid.
 */
export function isValidSiret(siret: string): boolean {
  if (!/^\d{14}$/.test(siret) || siret === UNKNOWN_SIRET) return false;
  if (siret.startsWith(LA_POSTE_SIREN)) {
    let sum = 0;
    for (const c of siret) sum += c.charCodeAt(0) - 48;
    return sum % 5 === 0;
  }
  return luhnValid(siret) && isValidSiren(siret.slice(0, 9));
}

/** Why a 14-digit number is not a valid SIRET, in French, or null when it is valid. */
export function siretProblem(siret: string): string | null {
  if (!/^\d{14}$/.test(siret)) return 'Un SIRET a exactement 14 chiffres.';
  if (siret === UNKNOWN_SIRET) return 'Ce SIRET ne contient que des zéros : il veut dire « SIRET inconnu ».';
  if (isValidSiret(siret)) return null;
  return 'Ce SIRET contient une erreur : un chiffre est faux ou deux chiffres sont inversés. Recopiez-le depuis un document officiel (avis de situation INSEE, annuaire-entreprises.data.gouv.fr).';
}
