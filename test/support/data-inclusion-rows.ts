import type { DataInclusionService, DataInclusionStructure } from '../../src/publication/data-inclusion.ts';

/** A data·inclusion structure in Orléans (DORA), as its files publish it; `over` replaces fields. */
export function diStructure(over: Partial<DataInclusionStructure> = {}): DataInclusionStructure {
  return {
    source: 'dora',
    id: 'dora-1',
    nom: 'Médiathèque de la Source',
    date_maj: '2024-05-02',
    lien_source: null,
    siret: null,
    telephone: '0238000000',
    courriel: null,
    site_web: null,
    description: null,
    horaires_accueil: 'Mo-Fr 09:00-12:00',
    accessibilite_lieu: null,
    reseaux_porteurs: null,
    commune: 'Orléans',
    code_postal: '45100',
    code_insee: '45234',
    adresse: '1 place Albert-Camus',
    complement_adresse: null,
    longitude: 1.942,
    latitude: 47.8402,
    ...over,
  };
}

/** One of its services (free access to computers); `over` replaces fields. */
export function diService(over: Partial<DataInclusionService> = {}): Partial<DataInclusionService> {
  return {
    source: 'dora',
    structure_id: 'dora-1',
    id: 'dora-1--s1',
    nom: 'Accès libre',
    description: 'Ordinateurs en accès libre',
    date_maj: '2024-05-02',
    type: 'aide-materielle',
    thematiques: ['numerique--acceder-a-une-connexion-internet'],
    ...over,
  };
}
