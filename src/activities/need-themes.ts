import type { Theme } from './vocabulary.ts';

/**
 * The orientation's needs (src/search/needs.ts slugs) as La Coop's themes, where the match is plain: the
 * form of an accompaniment opened from an orientation starts with them checked, and the mediator corrects
 * them. A need without an obvious theme (a cheap computer, a social internet plan) brings none.
 */
export const NEED_THEMES: Readonly<Record<string, readonly Theme[]>> = {
  caf: ['aide_aux_demarches_administratives', 'social_sante'],
  ameli: ['aide_aux_demarches_administratives', 'social_sante'],
  retraite: ['aide_aux_demarches_administratives', 'social_sante'],
  impots: ['aide_aux_demarches_administratives', 'argent_impots'],
  ants: ['aide_aux_demarches_administratives', 'papiers_elections_citoyennete'],
  'france-travail': ['aide_aux_demarches_administratives', 'travail_formation'],
  franceconnect: ['aide_aux_demarches_administratives'],
  'aidants-connect': ['aide_aux_demarches_administratives'],
  imprimer: ['prendre_en_main_du_materiel'],
  scanner: ['prendre_en_main_du_materiel'],
  ordinateur: ['prendre_en_main_du_materiel'],
  smartphone: ['prendre_en_main_du_materiel'],
  'ordinateur-debuter': ['prendre_en_main_du_materiel'],
  wifi: ['navigation_sur_internet'],
  'adresse-mail': ['email'],
  securite: ['securite_numerique'],
  comprendre: ['culture_numerique'],
  cv: ['insertion_professionnelle'],
  emploi: ['insertion_professionnelle'],
  enfants: ['parentalite'],
  ecole: ['scolarite_et_numerique'],
  loisirs: ['creer_avec_le_numerique'],
};

/** The themes of some needs, each once, in the order of the needs. */
export function themesOfNeeds(needs: readonly string[]): Theme[] {
  const out: Theme[] = [];
  for (const n of needs) for (const t of NEED_THEMES[n] ?? []) if (!out.includes(t)) out.push(t);
  return out;
}
