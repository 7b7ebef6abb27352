/**
 * E-mail addresses, one rule for the whole product. `parseEmail` reads one address as people write it
 * ("Nom <nom@exemple.fr>", "mailto:…", a trailing dot), checks its shape and lowercases the domain (the
 * part before @ may be case-sensitive: kept as written, as the national schema wants). `emailKey` is the
 * identity of an account: one account per address whatever the case typed.
 */
const EMAIL_PATTERN =
  /^[\p{L}\p{N}!#$%&'*+/=?^_`{}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{}~-]+)*@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+[\p{L}]{2,}$/u;

/** One e-mail address, with its domain lowercased, or null when it is not one. */
export function parseEmail(text: string): string | null {
  let email = text.normalize('NFC').trim();
  const bracketed = /<([^<>\s]+@[^<>\s]+)>/.exec(email);
  if (bracketed?.[1] !== undefined) email = bracketed[1];
  email = email.replace(/^mailto:/i, '').replace(/\.+$/, '');
  const at = email.lastIndexOf('@');
  if (at <= 0) return null;
  email = `${email.slice(0, at)}@${email.slice(at + 1).toLowerCase()}`;
  return EMAIL_PATTERN.test(email) ? email : null;
}

/** The address as the key of an account: composed, trimmed, lowercased. */
export function emailKey(email: string): string {
  return email.normalize('NFC').trim().toLowerCase();
}
