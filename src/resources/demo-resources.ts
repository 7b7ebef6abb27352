import type { ResourceValues } from './resources.ts';

/**
 * The demonstration's resources: short text files written for it, and links to public pages. Shared by
 * demo structure 0 or 1; `reported`: the one the demonstration reports as obsolete.
 */
export const DEMO_RESOURCES: readonly {
  structure: 0 | 1;
  values: Omit<ResourceValues, 'url'> & { url?: string };
  file?: { name: string; text: string };
  reported?: boolean;
}[] = [
  {
    structure: 0,
    values: {
      title: 'Guide : créer son adresse de courriel',
      summary:
        'Les étapes pour créer une adresse de courriel avec une personne accompagnée, choisir un mot de passe et le noter en lieu sûr.',
      kind: 'guide',
      themes: ['communication', 'prise_en_main'],
      licence: 'etalab_2_0',
      audience: 'professionals',
      isPublic: true,
    },
    file: {
      name: 'guide-creer-adresse-courriel.txt',
      text: [
        'Créer une adresse de courriel — guide pour l’accompagnement',
        '',
        '1. Demandez à la personne si elle a déjà une adresse : beaucoup en ont une oubliée.',
        '2. Choisissez ensemble un service de messagerie.',
        '3. Choisissez une adresse simple : prénom.nom, sans surnom.',
        '4. Choisissez un mot de passe long : trois mots qui ne vont pas ensemble.',
        '5. La personne note son mot de passe elle-même, sur un papier qu’elle garde chez elle.',
        '6. Envoyez un premier message de test à votre structure.',
        '',
        'Ne gardez jamais le mot de passe d’une personne accompagnée.',
        '',
      ].join('\n'),
    },
  },
  {
    structure: 0,
    values: {
      title: 'Tutoriel : déclarer ses revenus en ligne',
      summary:
        'Pas à pas, avec les écrans du site des impôts : se connecter, vérifier les montants, signer la déclaration.',
      kind: 'tutorial',
      themes: ['demarches'],
      licence: 'cc_by_sa_4_0',
      audience: 'everyone',
      isPublic: false,
    },
    file: {
      name: 'tutoriel-declaration-revenus.txt',
      text: [
        'Déclarer ses revenus en ligne',
        '',
        '1. Allez sur impots.gouv.fr et choisissez « Votre espace particulier ».',
        '2. Connectez-vous avec votre numéro fiscal (il est sur votre dernier avis) ou avec FranceConnect.',
        '3. Vérifiez les montants déjà remplis : salaires, retraites, allocations.',
        '4. Corrigez ce qui est faux, ajoutez ce qui manque.',
        '5. Signez la déclaration et gardez l’accusé de réception.',
        '',
      ].join('\n'),
    },
    reported: true,
  },
  {
    structure: 0,
    values: {
      title: 'Repérer un message d’arnaque',
      summary:
        'Le site du dispositif national Cybermalveillance explique comment reconnaître un faux message et que faire si l’on s’est fait avoir.',
      kind: 'link',
      themes: ['securite'],
      licence: 'no_licence',
      audience: 'everyone',
      isPublic: true,
      url: 'https://www.cybermalveillance.gouv.fr/',
    },
  },
  {
    structure: 1,
    values: {
      title: 'Atelier collectif : prendre en main une tablette',
      summary:
        'Le déroulé d’un atelier de deux heures pour six personnes : allumer, toucher, faire glisser, se connecter au wifi, prendre une photo.',
      kind: 'guide',
      themes: ['prise_en_main', 'materiel'],
      licence: 'cc_by_nc_sa_4_0',
      audience: 'trainers',
      isPublic: false,
    },
    file: {
      name: 'atelier-tablette.md',
      text: [
        '# Atelier : prendre en main une tablette',
        '',
        'Durée : 2 heures. Six personnes au plus, une tablette chacune.',
        '',
        '- 15 min : se présenter, dire ce qu’on voudrait faire avec la tablette.',
        '- 30 min : allumer, éteindre, toucher, faire glisser, revenir à l’accueil.',
        '- 30 min : se connecter au wifi de la salle.',
        '- 30 min : prendre une photo et l’envoyer à quelqu’un du groupe.',
        '- 15 min : ce que chacun refera chez soi.',
        '',
      ].join('\n'),
    },
  },
  {
    structure: 1,
    values: {
      title: 'La Base du numérique d’intérêt général',
      summary:
        'La plateforme nationale où les médiateurs partagent leurs ressources : on y trouve des milliers de guides et de tutoriels.',
      kind: 'link',
      themes: ['prise_en_main', 'citoyennete'],
      licence: 'no_licence',
      audience: 'professionals',
      isPublic: true,
      url: 'https://labase.anct.gouv.fr/',
    },
  },
];
