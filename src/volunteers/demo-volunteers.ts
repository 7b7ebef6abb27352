// Demonstration data written by the Maillage project (not taken from any dataset): a few missions of
// demo structures 0 and 1 and a few volunteers of Orléans Métropole (decision 0044). Embedded database
// only; `demo remove` deletes it (is_demo).

/** Missions: `structure` is demo structure 0 or 1 (its first place); days count from the seeding day. */
export const DEMO_MISSIONS = [
  {
    structure: 0,
    state: 'validated',
    title: 'Accueillir au point numérique',
    description:
      'Accueillir les personnes qui arrivent, comprendre ce dont elles ont besoin, et les aider à faire leurs démarches en ligne, à côté d’un médiateur.',
    startInDays: 7,
    lengthDays: 120,
    slots: ['mar_matin', 'jeu_matin'],
    skills: ['accueil', 'demarches'],
    commitment: 'weekly',
    hoursPerWeek: 3,
    audience: 'tous',
    seats: 2,
  },
  {
    structure: 0,
    state: 'validated',
    title: 'Animer un atelier « premiers pas sur smartphone »',
    description:
      'Aider un petit groupe de personnes âgées à se servir de leur téléphone : appeler en vidéo, envoyer une photo, reconnaître un message d’arnaque.',
    startInDays: 14,
    lengthDays: 0,
    slots: [],
    skills: ['ateliers', 'prise_en_main'],
    commitment: 'one_off',
    hoursPerWeek: null,
    audience: 'seniors',
    seats: 1,
  },
  {
    structure: 1,
    state: 'draft',
    title: 'Remettre en état des ordinateurs donnés',
    description:
      'Nettoyer et réinstaller des ordinateurs portables donnés par des entreprises, pour les prêter aux familles.',
    startInDays: 10,
    lengthDays: 60,
    slots: ['sam_matin'],
    skills: ['reparation'],
    commitment: 'weekly',
    hoursPerWeek: 2,
    audience: 'familles',
    seats: 3,
  },
] as const;

/**
 * Volunteers: `account` is the demo volunteer account (its password is the demo one); the others have no
 * password (they cannot sign in). `asks` is the index of a mission they asked to join (waiting for its
 * structure's answer); `proposed` one their structure proposed to them (waiting for their answer).
 */
export const DEMO_VOLUNTEERS = [
  {
    account: true,
    email: 'benevole.demo@example.org',
    name: 'Claude (bénévole)',
    state: 'validated',
    skills: ['accueil', 'demarches'],
    availability: ['mar_matin', 'jeu_matin', 'ven_apres_midi'],
    communes: ['45234', '45147'],
    proposed: 1,
  },
  {
    account: false,
    email: 'yanis.benevole.demo@example.org',
    name: 'Yanis (bénévole)',
    state: 'validated',
    skills: ['prise_en_main', 'ateliers', 'langues'],
    availability: ['mar_matin', 'mer_apres_midi'],
    communes: ['45302'],
    asks: 0,
  },
  {
    account: false,
    email: 'marie.benevole.demo@example.org',
    name: 'Marie (bénévole)',
    state: 'pending',
    skills: ['reparation', 'logistique'],
    availability: ['sam_matin'],
    communes: ['45232', '45234'],
  },
] as const;
