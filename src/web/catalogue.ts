/**
 * String catalogues for the public pages: every entry has the ordinary wording and a *Facile à lire et
 * à comprendre* (FALC) variant — short sentences, no abbreviations. The variant is not certified FALC
 * (that needs a review by readers with learning disabilities). `falc` is optional in the type so that a
 * forgotten variant is caught by the catalogue tests, with the key named, rather than hidden by a cast.
 */
export interface Variants<T> {
  normal: T;
  falc?: T;
}

export type Picked<C extends Record<string, Variants<unknown>>> = { readonly [K in keyof C]: C[K]['normal'] };

export interface Catalogue<C extends Record<string, Variants<unknown>>> {
  entries: C;
  pick(falc: boolean): Picked<C>;
}

export function defineCatalogue<C extends Record<string, Variants<unknown>>>(entries: C): Catalogue<C> {
  const build = (falc: boolean) =>
    Object.freeze(
      Object.fromEntries(
        Object.entries(entries).map(([k, v]) => [k, falc && v.falc !== undefined ? v.falc : v.normal]),
      ),
    ) as Picked<C>;
  const normal = build(false);
  const simple = build(true);
  return { entries, pick: (falc) => (falc ? simple : normal) };
}
