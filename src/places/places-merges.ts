import { DomainError } from '../shared/domain-error.ts';

/** The review of merges, pure: the filters of /fusions and how the address writes them (docs/decisions/0029). */

/** Merges shown per page: a region's first import can propose thousands. */
export const MERGES_PER_PAGE = 20;

/** The filters of the page, as the address writes them (`?etat=`), and what each shows. */
export const MERGE_FILTERS = {
  'a-verifier': 'to_review',
  verifiees: 'reviewed',
  separees: 'separated',
} as const satisfies Record<string, 'to_review' | 'reviewed' | 'separated'>;
export type MergeFilter = keyof typeof MERGE_FILTERS;

const MESSAGES = {
  badFilter: (value: string) =>
    `Le filtre « ${value.slice(0, 40)} » n'existe pas : choisissez « à vérifier », « vérifiées » ou « séparées ».`,
  badPage: (value: string) =>
    `La page « ${value.slice(0, 20)} » n'existe pas : indiquez un numéro de page, par exemple 2.`,
} as const;

/** Reads `?etat=` and `?page=` as the page writes them; anything else is refused, naming the value. */
export function parseMergeListQuery(query: { etat?: string | undefined; page?: string | undefined }): {
  filter: MergeFilter;
  page: number;
} {
  const etat = query.etat ?? 'a-verifier';
  if (!Object.hasOwn(MERGE_FILTERS, etat))
    throw new DomainError('invalid_input', MESSAGES.badFilter(etat), { etat });
  const pageText = query.page ?? '1';
  if (!/^\d{1,6}$/.test(pageText) || Number(pageText) < 1)
    throw new DomainError('invalid_input', MESSAGES.badPage(pageText), { page: pageText });
  return { filter: etat as MergeFilter, page: Number(pageText) };
}
