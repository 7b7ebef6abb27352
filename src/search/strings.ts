import { defineCatalogue } from '../web/catalogue.ts';
import type { Need } from './needs.ts';
import { accompanimentSentences, placeKind } from './vocabulary.ts';

/**
 * Every word of the public pages (home, search, filters, map, a place's sheet, error report,
 * preferences, accessibility statement, embed), in ordinary French and in a *Facile à lire et à
 * comprendre* variant: sentences of 15 words at most, no abbreviation, everyday words. The FALC variant
 * is not certified (see the README). `strings.test.ts` fails when a key lacks its variant.
 */

/**
 * "à 800 m", "à 2,5 km", "à 12 km" (or spelled out for FALC: no abbreviations), the number and its unit
 * joined by a non-breaking space: never a unit alone at the start of a line.
 */
function distance(metres: number, falc: boolean): string {
  if (metres < 1000) {
    const m = Math.max(100, Math.round(metres / 100) * 100);
    if (m < 1000) return falc ? `à ${m}\u00a0mètres` : `à ${m}\u00a0m`;
  }
  const km = metres / 1000;
  const text = km < 10 ? (Math.round(km * 10) / 10).toString().replace('.', ',') : String(Math.round(km));
  return falc ? `à ${text}\u00a0kilomètres` : `à ${text}\u00a0km`;
}

export const SEARCH_STRINGS = defineCatalogue({
  // --- Home ---
  homeTitle: {
    normal: "Trouver de l'aide pour le numérique",
    falc: "Trouver de l'aide pour utiliser internet",
  },
  homeIntro: {
    normal: (territory: string) =>
      `Des lieux près de chez vous aident à utiliser un ordinateur, un téléphone ou internet, et à faire vos démarches en ligne. L'aide est souvent gratuite. Territoire : ${territory}.`,
    falc: (territory: string) =>
      `Des lieux vous aident à utiliser un ordinateur, un téléphone ou internet. Souvent, l'aide est gratuite. Ces lieux sont dans : ${territory}.`,
  },
  needLegend: { normal: 'De quoi avez-vous besoin ?', falc: 'De quoi avez-vous besoin ?' },
  needAny: { normal: 'Autre chose, ou je ne sais pas encore', falc: 'Autre chose. Ou je ne sais pas.' },
  needHint: {
    normal: 'Ouvrez un titre pour voir ses choix. Vous pouvez aussi ne rien choisir.',
    falc: 'Appuyez sur un titre pour voir les choix. Vous pouvez ne rien choisir.',
  },
  whereLabel: { normal: 'Où ?', falc: 'Où ?' },
  whereHint: {
    normal: 'Le nom de votre commune, son code postal ou son code INSEE, par exemple Saran ou 45770.',
    falc: 'Écrivez le nom de votre ville. Ou écrivez son code postal. Par exemple : Saran, ou 45770.',
  },
  nearMe: { normal: 'Chercher autour de moi', falc: 'Chercher près de moi' },
  nearMeHint: {
    normal: "Votre position est arrondie à 100 m environ avant d'être envoyée. Elle n'est pas enregistrée.",
    falc: 'Nous utilisons votre position à peu près. Nous ne la gardons pas.',
  },
  nearMeWait: { normal: 'Recherche de votre position…', falc: 'Nous cherchons votre position.' },
  nearMeFound: {
    normal: 'Votre position est trouvée. Choisissez un besoin, puis « Voir les lieux ».',
    falc: 'Nous avons votre position. Choisissez un besoin. Puis cliquez sur « Voir les lieux ».',
  },
  nearMeFailed: {
    normal: "Votre position n'est pas disponible. Écrivez le nom de votre commune.",
    falc: 'Nous ne trouvons pas votre position. Écrivez le nom de votre ville.',
  },
  submit: { normal: 'Voir les lieux', falc: 'Voir les lieux' },
  browseLead: {
    normal: 'Vous préférez parcourir toute la liste ?',
    falc: 'Vous voulez voir tous les lieux ?',
  },
  browseAll: { normal: (n: string) => `Voir les ${n} lieux`, falc: (n: string) => `Voir les ${n} lieux` },

  // --- Needs groups (the needs have their own FALC labels in needs.ts) ---
  groupLabel: {
    normal: (group: Need['group']) =>
      ({
        demarches: 'Démarches en ligne',
        outils: 'Ordinateur, téléphone, internet',
        emploi: 'Emploi et formation',
        materiel: 'Matériel et abonnement',
        famille: 'Famille et loisirs',
      })[group],
    falc: (group: Need['group']) =>
      ({
        demarches: 'Faire des papiers sur internet',
        outils: 'Ordinateur, téléphone, internet',
        emploi: 'Travail',
        materiel: 'Acheter un ordinateur ou un abonnement',
        famille: 'Famille et loisirs',
      })[group],
  },
  needLabel: { normal: (need: Need) => need.label, falc: (need: Need) => need.falc },

  // --- Results ---
  resultsHeading: {
    normal: (need: string | null, where: string | null) =>
      need && where
        ? `${need} : lieux près de ${where}`
        : need
          ? `${need} : les lieux`
          : where
            ? `Lieux d'aide près de ${where}`
            : "Tous les lieux d'aide",
    falc: (need: string | null, where: string | null) =>
      need && where
        ? `${need} : les lieux près de ${where}`
        : need
          ? `${need} : les lieux`
          : where
            ? `Les lieux près de ${where}`
            : 'Tous les lieux',
  },
  resultsTitle: {
    normal: (heading: string, page: number) => `Résultats : ${heading}${page > 1 ? `, page ${page}` : ''}`,
    falc: (heading: string, page: number) => `Résultats : ${heading}${page > 1 ? `, page ${page}` : ''}`,
  },
  resultsOrder: {
    normal: (first: number, last: number) =>
      first === 1
        ? `Les ${last} lieux les plus proches, du plus proche au plus loin.`
        : `Lieux ${first} à ${last}, du plus proche au plus loin.`,
    falc: (first: number, last: number) =>
      first === 1
        ? `Voici ${last} lieux. Le premier est le plus près.`
        : `Voici les lieux ${first} à ${last}. Ils sont plus loin.`,
  },
  resultsByName: {
    normal: 'Sans commune, les lieux sont classés par nom. Indiquez une commune pour voir les plus proches.',
    falc: 'Les lieux sont rangés par nom. Écrivez votre ville pour voir les lieux près de chez vous.',
  },
  resultsFilters: {
    normal: (list: string) => `Filtres choisis : ${list}.`,
    falc: (list: string) => `Vous avez choisi : ${list}.`,
  },
  filtersLink: {
    normal: 'Filtrer : ouvert maintenant, samedi, gratuit…',
    falc: 'Choisir : ouvert maintenant, samedi, gratuit',
  },
  mapLink: { normal: 'Voir ces lieux sur une carte', falc: 'Voir les lieux sur une carte' },
  listLink: { normal: 'Voir la liste sans la carte', falc: 'Voir la liste seule' },
  printList: { normal: 'Imprimer la liste', falc: 'Imprimer la liste' },
  more: { normal: 'Voir plus de lieux', falc: 'Voir d’autres lieux' },
  previous: { normal: 'Revenir aux lieux plus proches', falc: 'Revenir aux lieux plus près' },
  pagesNav: { normal: 'Autres pages de résultats', falc: 'Autres pages' },
  distance: { normal: (m: number) => distance(m, false), falc: (m: number) => distance(m, true) },
  openNow: { normal: 'Ouvert maintenant', falc: 'Ouvert en ce moment' },
  closedNow: { normal: 'Fermé maintenant', falc: 'Fermé en ce moment' },
  // Temporary closures, approved by the coordinator: "Fermé temporairement du 1er au 15 août".
  temporaryClosure: {
    normal: (period: string, reason: string | null) =>
      `Fermé temporairement ${period}${reason ? ` (${reason})` : ''}.`,
    falc: (period: string, reason: string | null) =>
      `Le lieu est fermé ${period}.${reason ? ` Pourquoi : ${reason}.` : ''}`,
  },
  hoursUnknown: {
    normal: 'Horaires non communiqués : appelez avant de venir.',
    falc: 'Nous ne connaissons pas les horaires. Appelez avant de venir.',
  },
  // Hours said once (opening-words.ts): "Fermé aujourd'hui · ouvre lundi à 8 h 30".
  closedToday: { normal: "Fermé aujourd'hui", falc: "Fermé aujourd'hui" },
  closedForToday: { normal: "Fermé pour aujourd'hui", falc: "Fermé pour aujourd'hui" },
  closedForNow: { normal: 'Fermé en ce moment', falc: 'Fermé en ce moment' },
  opensWhen: { normal: (when: string) => `ouvre ${when}`, falc: (when: string) => `ouvre ${when}` },
  reopensWhen: {
    normal: (when: string) => `rouvre ${when}`,
    falc: (when: string) => `ouvre à nouveau ${when}`,
  },
  closesAt: { normal: (time: string) => `jusqu'à ${time}`, falc: (time: string) => `ferme à ${time}` },
  closesSoon: {
    normal: (time: string) => `ferme bientôt, à ${time}`,
    falc: (time: string) => `ferme bientôt, à ${time}`,
  },
  whenNext: {
    normal: (inDays: number, weekday: string, date: string, time: string) =>
      `${inDays === 0 ? "aujourd'hui" : inDays === 1 ? 'demain' : inDays < 7 ? weekday : date}${time === '0 h' ? '' : ` à ${time}`}`,
    falc: (inDays: number, weekday: string, date: string, time: string) =>
      `${inDays === 0 ? "aujourd'hui" : inDays === 1 ? 'demain' : inDays < 7 ? weekday : `le ${date}`}${time === '0 h' ? '' : ` à ${time}`}`,
  },
  nextStop: {
    normal: (when: string, address: string) => `Prochain passage : ${when}, ${address}`,
    falc: (when: string, address: string) => `Le service vient ${when}, ${address}`,
  },
  hereNow: {
    normal: (address: string) => `Présent maintenant : ${address}`,
    falc: (address: string) => `Le service est là en ce moment : ${address}`,
  },
  itinerant: { normal: 'Service itinérant', falc: 'Ce service se déplace' },
  kind: { normal: (code: string) => placeKind(code, false), falc: (code: string) => placeKind(code, true) },
  phoneLabel: { normal: 'Téléphone :', falc: 'Téléphone :' },
  feesLabel: { normal: 'Prix :', falc: 'Prix :' },
  fee: {
    normal: (value: string) =>
      ({ Gratuit: 'gratuit', 'Gratuit sous condition': 'gratuit sous conditions', Payant: 'payant' })[
        value
      ] ?? value,
    falc: (value: string) =>
      ({
        Gratuit: 'gratuit',
        'Gratuit sous condition': 'gratuit pour certaines personnes',
        Payant: 'payant',
      })[value] ?? value,
  },
  feesUnknown: { normal: 'non communiqué', falc: 'nous ne savons pas' },
  /** What happens there, as sentences (a result's card says it as the place's page does). */
  helpSentences: {
    normal: (values: readonly string[]) => accompanimentSentences(values, false),
    falc: (values: readonly string[]) => accompanimentSentences(values, true),
  },
  accompaniment: {
    normal: (value: string) =>
      ({
        'En autonomie': 'en autonomie',
        'Accompagnement individuel': 'individuelle',
        'Dans un atelier collectif': 'en atelier',
        'À distance': 'à distance',
      })[value] ?? value,
    falc: (value: string) =>
      ({
        'En autonomie': 'vous faites seul',
        'Accompagnement individuel': 'une personne vous aide',
        'Dans un atelier collectif': 'en groupe',
        'À distance': 'par téléphone ou internet',
      })[value] ?? value,
  },
  placeLinkHint: { normal: (commune: string) => `, ${commune}`, falc: (commune: string) => `, ${commune}` },

  // --- Empty state ---
  emptyTitle: { normal: 'Aucun lieu ne correspond', falc: 'Nous ne trouvons pas de lieu' },
  emptyText: {
    normal:
      'Aucun lieu ne correspond à tous vos choix. Enlevez un filtre, ou appelez un des lieux les plus proches.',
    falc: 'Aucun lieu ne correspond à vos choix. Enlevez un choix. Ou appelez un lieu proche.',
  },
  nearestAnyway: { normal: 'Les lieux les plus proches, quand même', falc: 'Les lieux les plus près' },
  // Nothing at all within SEARCH_MAX_KM of the person (docs/decisions/0025).
  nearbyNoneTitle: { normal: 'Aucun lieu trouvé près de chez vous', falc: 'Pas de lieu près de chez vous' },
  nearbyNoneText: {
    normal: (km: string, where: string) => `Nous n'avons trouvé aucun lieu à moins de ${km} km de ${where}.`,
    falc: (km: string, where: string) => `Nous ne trouvons pas de lieu à moins de ${km} km de ${where}.`,
  },
  callNetwork: {
    normal: (phone: string) => `Appelez le réseau au ${phone} : une personne vous aide à trouver un lieu.`,
    falc: (phone: string) => `Appelez le réseau au ${phone}. Une personne vous aide.`,
  },
  writeNetwork: {
    normal: (email: string) => `Écrivez au réseau : ${email}. Une personne vous aide à trouver un lieu.`,
    falc: (email: string) => `Écrivez au réseau : ${email}. Une personne vous aide.`,
  },

  // --- Choose a commune ---
  chooseTitle: { normal: 'Quelle commune ?', falc: 'Quelle ville ?' },
  chooseText: {
    normal: (text: string) => `Plusieurs communes correspondent à « ${text} ». Choisissez la vôtre :`,
    falc: (text: string) => `Plusieurs villes s'appellent à peu près « ${text} ». Choisissez votre ville :`,
  },
  noCommuneTitle: { normal: 'Commune introuvable', falc: 'Nous ne trouvons pas la ville' },
  noCommune: {
    normal: (text: string) =>
      `Nous ne trouvons pas de commune « ${text} ». Vérifiez l'orthographe, ou écrivez le code postal.`,
    falc: (text: string) =>
      `Nous ne trouvons pas la ville « ${text} ». Vérifiez le nom. Ou écrivez le code postal.`,
  },
  postcodeDigits: {
    normal: 'Le code postal doit avoir 5 chiffres, par exemple 45000.',
    falc: 'Le code postal a 5 chiffres. Par exemple : 45000.',
  },
  chooseAgain: { normal: 'Ou cherchez une autre commune', falc: 'Ou cherchez une autre ville' },
  communeOption: {
    normal: (name: string, postcodes: string, department: string) =>
      `${name} (${postcodes}${department ? `, ${department}` : ''})`,
    falc: (name: string, postcodes: string, department: string) =>
      `${name} (${postcodes}${department ? `, ${department}` : ''})`,
  },

  // --- A misspelt or far commune (docs/decisions/0034) ---
  suggestTitle: {
    normal: (name: string) => `Vouliez-vous dire ${name} ?`,
    falc: (name: string) => `Vouliez-vous dire ${name} ?`,
  },
  suggestText: {
    normal: (text: string) =>
      `Ces communes ont un nom proche de «\u00a0${text}\u00a0». Choisissez la vôtre\u00a0:`,
    falc: (text: string) =>
      `Ces villes ont un nom proche de «\u00a0${text}\u00a0». Choisissez votre ville\u00a0:`,
  },
  suggestLocal: {
    normal: (territory: string) => `Dans le territoire du réseau (${territory})`,
    falc: (territory: string) => `Près de nos lieux (${territory})`,
  },
  suggestFrance: { normal: 'Ailleurs en France', falc: 'Ailleurs en France' },
  suggestFranceText: {
    normal: "Ces communes sont hors du territoire du réseau : nous n'y connaissons peut-être aucun lieu.",
    falc: 'Ces villes sont loin de nos lieux.',
  },
  outsideTitle: {
    normal: (name: string) => `${name} est hors du territoire du réseau`,
    falc: (name: string) => `${name} est loin de nos lieux`,
  },
  outsideText: {
    normal: (name: string, territory: string) =>
      `Ce site montre les lieux d'aide de ce territoire : ${territory}. Nous ne connaissons pas de lieu près de ${name}.`,
    falc: (name: string, territory: string) =>
      `Nos lieux sont dans ce territoire : ${territory}. Nous ne connaissons pas de lieu à ${name}.`,
  },
  outsideNotice: {
    normal: (name: string, territory: string) => `${name} est hors du territoire du réseau (${territory}).`,
    falc: (name: string, territory: string) => `${name} est loin de nos lieux (${territory}).`,
  },
  otherCommune: { normal: 'Chercher une autre commune', falc: 'Chercher une autre ville' },

  // --- Errors ---
  errorTitle: { normal: 'Votre recherche contient une erreur', falc: 'Il y a une erreur dans la recherche' },
  notFoundTitle: { normal: 'Recherche impossible', falc: 'Nous ne pouvons pas chercher' },
  errorSummary: { normal: 'Il y a un problème', falc: 'Il y a un problème' },
  errorFix: {
    normal: 'Corrigez la recherche ci-dessous, puis cliquez sur « Voir les lieux ».',
    falc: 'Changez la recherche. Puis cliquez sur « Voir les lieux ».',
  },
  needSelectLabel: { normal: 'Besoin', falc: 'Votre besoin' },

  // --- Filters ---
  filtersTitle: { normal: 'Modifier la recherche et filtrer les lieux', falc: 'Changer la recherche' },
  filtersIntro: {
    normal: 'Cochez ce qui compte pour vous, puis affichez les lieux.',
    falc: 'Cochez ce qui est important pour vous. Puis cliquez sur « Voir les lieux ».',
  },
  whenLegend: { normal: 'Quand ?', falc: 'Quand ?' },
  openNowFilter: { normal: 'Ouvert maintenant', falc: 'Ouvert en ce moment' },
  saturdayFilter: { normal: 'Ouvert samedi', falc: 'Ouvert le samedi' },
  priceLegend: { normal: 'Prix', falc: 'Prix' },
  freeFilter: { normal: 'Gratuit', falc: 'Gratuit' },
  publicsLegend: { normal: 'Lieux pour un public particulier', falc: 'Des lieux pour certaines personnes' },
  supportLegend: {
    normal: 'Accueil adapté : handicap, langues, lecture',
    falc: 'Accueil pour les personnes avec un handicap ou une autre langue',
  },
  accompanimentLegend: { normal: "Façon d'être aidé", falc: 'Comment on vous aide' },
  applyFilters: { normal: 'Voir les lieux', falc: 'Voir les lieux' },
  filterSummary: {
    normal: (key: 'openNow' | 'saturday' | 'free') =>
      ({ openNow: 'ouvert maintenant', saturday: 'ouvert samedi', free: 'gratuit' })[key],
    falc: (key: 'openNow' | 'saturday' | 'free') =>
      ({ openNow: 'ouvert en ce moment', saturday: 'ouvert le samedi', free: 'gratuit' })[key],
  },

  // --- Map ---
  mapHeading: { normal: 'Carte des lieux', falc: 'La carte' },
  mapAlt: {
    normal: (n: number, origin: string | null) =>
      `Carte des ${n} lieux de la liste, numérotés comme la liste${origin ? `, autour de ${origin}` : ''}. La liste sous la carte donne les mêmes informations.`,
    falc: (n: number, origin: string | null) =>
      `Carte avec ${n} lieux${origin ? ` près de ${origin}` : ''}. La liste en dessous dit la même chose.`,
  },
  mapOrigin: { normal: 'Départ', falc: 'Départ' },
  mapCommunes: {
    normal: (names: readonly string[]) => `Communes dessinées : ${names.join(', ')}.`,
    falc: (names: readonly string[]) => `Les villes sur la carte : ${names.join(', ')}.`,
  },
  mapSource: {
    normal: 'Contours : IGN Admin Express, Licence Ouverte 2.0',
    falc: 'Contours : IGN Admin Express, Licence Ouverte 2.0',
  },
  mapNoPosition: {
    normal: 'La carte demande une commune ou votre position.',
    falc: 'Pour voir la carte, écrivez votre ville.',
  },
  mapScale: {
    normal: (m: number) => (m >= 1000 ? `${m / 1000} km` : `${m} m`),
    falc: (m: number) => (m >= 1000 ? `${m / 1000} kilomètres` : `${m} mètres`),
  },
  // The interactive map (Leaflet over the configured tile server): controls and keyboard help.
  mapKeyboardHint: {
    normal:
      'Au clavier : les flèches déplacent la carte, les touches + et − changent le zoom. Tab va d’un lieu à l’autre ; Entrée montre son nom et le lien vers sa fiche.',
    falc: 'Au clavier : les flèches bougent la carte. Les touches + et − font un zoom. La touche Tab va d’un lieu à l’autre. La touche Entrée montre le nom du lieu.',
  },
  mapPlaceLink: {
    normal: (name: string) => `Voir la fiche de ${name}`,
    falc: (name: string) => `Voir la fiche de ${name}`,
  },
  mapZoomIn: { normal: 'Agrandir la carte', falc: 'Voir la carte de plus près' },
  mapZoomOut: { normal: 'Réduire la carte', falc: 'Voir la carte de plus loin' },
  mapClosePopup: { normal: 'Fermer', falc: 'Fermer' },

  // --- A place's sheet ---
  placeTitle: {
    normal: (name: string, commune: string) => `${name}, ${commune}`,
    falc: (name: string, commune: string) => `${name}, ${commune}`,
  },
  addressHeading: { normal: 'Adresse et contact', falc: 'Adresse et contact' },
  addressLabel: { normal: 'Adresse', falc: 'Adresse' },
  emailLabel: { normal: 'Courriel', falc: 'Adresse mail' },
  websiteLabel: { normal: 'Site internet', falc: 'Site internet' },
  appointmentLabel: { normal: 'Rendez-vous', falc: 'Rendez-vous' },
  appointmentLink: { normal: 'Prendre rendez-vous en ligne', falc: 'Prendre rendez-vous sur internet' },
  // "Être rappelé" (docs/decisions/0032-callbacks.md): the link keeps these first words. Whoever calls
  // (the place's structure when someone of it is in Maillage, else the network) is named on the form.
  callbackLink: { normal: 'Être rappelé', falc: 'Être rappelé' },
  callbackLead: {
    normal: ' : laissez votre numéro, une personne vous rappelle.',
    falc: ' : écrivez votre numéro. Une personne vous appelle.',
  },
  callbackNetworkLink: { normal: 'Être rappelé par le réseau', falc: 'Être rappelé par le réseau' },
  callbackNetworkLead: {
    normal: ' : laissez votre numéro, une personne du réseau vous rappelle.',
    falc: ' : écrivez votre numéro. Une personne du réseau vous appelle.',
  },
  hoursHeading: { normal: 'Horaires', falc: 'Horaires' },
  hoursCaption: {
    normal: "Horaires d'ouverture d'une semaine ordinaire",
    falc: 'Les horaires de la semaine',
  },
  closedDay: { normal: 'fermé', falc: 'fermé' },
  hoursVary: {
    normal: 'Ces horaires changent selon les semaines ou les jours fériés : appelez pour vérifier.',
    falc: 'Les horaires changent certaines semaines. Appelez pour vérifier.',
  },
  hoursUnreadable: {
    normal: (raw: string) => `Horaires (format non reconnu) : ${raw}`,
    falc: (raw: string) => `Horaires : ${raw}. Appelez pour vérifier.`,
  },
  goHeading: { normal: 'Comment y aller', falc: 'Pour venir' },
  placeMapTitle: {
    normal: (name: string) => `Plan : où se trouve ${name}`,
    falc: (name: string) => `Plan : où est ${name}`,
  },
  placeMapWords: {
    normal: (name: string, address: string, commune: string) =>
      `${name} se trouve à l’adresse ${address}. Le plan montre le lieu dans sa commune, ${commune}, et les communes autour.`,
    falc: (name: string, address: string, commune: string) =>
      `L’adresse de ${name} est : ${address}. Le plan montre la commune ${commune}. Le point rond montre le lieu.`,
  },
  mapOsm: {
    normal: (name: string) => `Voir ${name} sur le plan OpenStreetMap`,
    falc: (name: string) => `Voir ${name} sur un plan`,
  },
  geoLink: {
    normal: (name: string) => `Ouvrir ${name} dans l’application de plans de votre téléphone`,
    falc: (name: string) => `Ouvrir l’adresse de ${name} dans l’application plan de mon téléphone`,
  },
  routeLink: {
    normal: (name: string) => `Calculer l’itinéraire jusqu’à ${name}`,
    falc: (name: string) => `Trouver le chemin jusqu’à ${name}`,
  },
  accessibilityLead: {
    normal: 'Entrée de plain-pied, marches, toilettes :',
    falc: 'Pour savoir si vous pouvez entrer en fauteuil roulant :',
  },
  accesLibreLink: {
    normal: (name: string) => `voir la fiche Accès libre de ${name}`,
    falc: (name: string) => `voir la fiche Accès libre de ${name}`,
  },
  smsLink: { normal: "M'envoyer l'adresse par SMS", falc: 'Envoyer l’adresse sur mon téléphone' },
  smsHint: {
    normal: 'Ouvre votre application de messages avec l’adresse écrite : choisissez votre propre numéro.',
    falc: 'Le message contient l’adresse. Envoyez-le à votre numéro.',
  },
  bringHeading: { normal: 'Ce que vous devez apporter', falc: 'Ce que vous devez apporter' },
  bringId: { normal: "Une pièce d'identité.", falc: 'Votre carte d’identité ou votre passeport.' },
  bringLogins: {
    normal: 'Vos identifiants et mots de passe (CAF, ameli, impôts, France Travail), si vous les avez.',
    falc: 'Vos codes pour les sites internet. Par exemple : CAF, santé, impôts.',
  },
  bringPhone: {
    normal: 'Votre téléphone portable, chargé : des sites envoient un code par SMS.',
    falc: 'Votre téléphone portable, chargé. Certains sites envoient un code.',
  },
  bringPapers: {
    normal:
      'Les papiers de votre démarche : courrier reçu, avis d’imposition, facture, numéro d’allocataire.',
    falc: 'Les papiers pour votre démarche. Par exemple : une lettre reçue.',
  },
  bringDevice: {
    normal: 'Votre ordinateur, tablette ou téléphone si vous voulez apprendre sur votre appareil.',
    falc: 'Votre ordinateur ou votre téléphone, pour apprendre avec.',
  },
  bringFiles: {
    normal: 'Vos documents à imprimer sur une clé USB ou dans votre messagerie.',
    falc: 'Les documents à imprimer, sur une clé USB ou dans vos mails.',
  },
  bringMoney: { normal: 'De quoi payer : ce lieu est payant.', falc: 'De l’argent. Ce lieu est payant.' },
  servicesHeading: { normal: 'Services proposés', falc: 'Ce que le lieu propose' },
  howHeading: { normal: 'Comment ça se passe', falc: 'Comment ça se passe' },
  priceLabel: { normal: 'Prix', falc: 'Prix' },
  publicsLabel: { normal: 'Publics', falc: 'Pour qui' },
  supportLabel: { normal: 'Accueil adapté', falc: 'Accueil adapté' },
  itinerantLabel: { normal: 'Lieu itinérant', falc: 'Service qui se déplace' },
  itinerantText: {
    normal: 'Ce service se déplace : vérifiez le lieu et le jour de passage.',
    falc: 'Ce service change de lieu. Vérifiez le jour et le lieu.',
  },
  presentationHeading: { normal: 'Présentation', falc: 'Présentation' },
  checkedOn: {
    normal: (date: string) => `Informations vérifiées le ${date}`,
    falc: (date: string) => `Informations vérifiées le ${date}`,
  },
  checkedUnknown: {
    normal: 'Date de vérification inconnue',
    falc: 'Nous ne savons pas quand ces informations ont été vérifiées',
  },
  sourceLabel: {
    normal: (source: string) => ` · Source : ${source}`,
    falc: (source: string) => ` · Source : ${source}`,
  },
  printSheet: { normal: 'Imprimer la fiche', falc: 'Imprimer la fiche' },
  qrLabel: {
    normal: (url: string) => `Code QR vers la fiche en ligne : ${url}`,
    falc: (url: string) => `Code à scanner avec un téléphone : ${url}`,
  },
  qrCaption: {
    normal: 'Scannez ce code avec un téléphone pour retrouver cette fiche à jour :',
    falc: 'Scannez ce code avec un téléphone pour revoir cette fiche :',
  },
  qrPlaceCaption: {
    normal: 'Scannez ce code avec un téléphone pour voir la fiche du lieu à jour :',
    falc: 'Scannez ce code avec un téléphone pour voir la fiche du lieu :',
  },
  reportLink: {
    normal: (name: string) => `Signaler une erreur sur la fiche de ${name}`,
    falc: (name: string) => `Dire qu’il y a une erreur sur la fiche de ${name}`,
  },

  // --- Error report ---
  reportTitle: {
    normal: (name: string) => `Signaler une erreur : ${name}`,
    falc: (name: string) => `Signaler une erreur : ${name}`,
  },
  reportIntro: {
    normal:
      'Une information est fausse ou manque ? Dites-le nous : la coordination du réseau vérifie et corrige la fiche.',
    falc: 'Une information est fausse ? Dites-le nous. Le réseau vérifie et corrige.',
  },
  reportMessageLabel: { normal: "Qu'est-ce qui est faux ou manque ?", falc: 'Qu’est-ce qui est faux ?' },
  reportMessageHint: {
    normal: 'Par exemple : le lieu est fermé le lundi. 2 000 caractères au plus.',
    falc: 'Par exemple : le lieu est fermé le lundi.',
  },
  reportContactLabel: {
    normal: 'Votre téléphone ou courriel (facultatif)',
    falc: 'Votre téléphone ou votre adresse mail (si vous voulez)',
  },
  reportContactHint: {
    normal: 'Seulement si vous acceptez que le réseau vous pose une question. 200 caractères au plus.',
    falc: 'Le réseau peut vous appeler pour une question. Vous pouvez laisser vide.',
  },
  reportSubmit: { normal: 'Envoyer le signalement', falc: 'Envoyer' },
  reportMessageMissing: { normal: "Décrivez l'erreur en quelques mots.", falc: 'Écrivez ce qui est faux.' },
  reportMessageTooLong: {
    normal: 'Votre message est trop long : 2 000 caractères au plus.',
    falc: 'Votre message est trop long. Écrivez moins.',
  },
  reportContactTooLong: {
    normal: 'Le contact est trop long : 200 caractères au plus.',
    falc: 'Le contact est trop long. Écrivez seulement un numéro ou une adresse mail.',
  },
  reportThanksTitle: { normal: 'Merci pour votre signalement', falc: 'Merci' },
  reportLimitedTitle: { normal: 'Signalement non envoyé', falc: 'Message pas envoyé' },
  reportTooManyFromClient: {
    normal:
      'Beaucoup de signalements sont partis de votre connexion dans la dernière heure. Pour éviter les abus, attendez une heure avant d’en envoyer un autre, ou appelez le réseau.',
    falc: 'Vous avez envoyé beaucoup de messages. Attendez 1 heure. Ou appelez le réseau.',
  },
  reportTooManyForPlace: {
    normal:
      'Ce lieu a déjà reçu beaucoup de signalements aujourd’hui : la coordination du réseau va les lire. Si c’est urgent, appelez le réseau.',
    falc: 'Ce lieu a déjà reçu beaucoup de messages aujourd’hui. Le réseau va les lire. Si c’est urgent, appelez le réseau.',
  },
  reportThanks: {
    normal:
      'Votre message est arrivé. La coordination du réseau va vérifier la fiche et la corriger si besoin.',
    falc: 'Nous avons reçu votre message. Le réseau va vérifier la fiche.',
  },
  backToPlace: {
    normal: (name: string) => `Revenir à la fiche de ${name}`,
    falc: (name: string) => `Revenir à la fiche de ${name}`,
  },

  // --- Preferences ---
  prefsTitle: { normal: "Préférences d'affichage", falc: 'Changer l’affichage' },
  prefsIntro: {
    normal:
      'Ces choix restent sur cet appareil (un petit fichier, ou « cookie »). Ils ne demandent pas de compte.',
    falc: 'Vos choix restent sur cet appareil. Vous n’avez pas besoin de compte.',
  },
  prefsLegend: { normal: 'Affichage', falc: 'Vos choix' },
  prefLargeText: { normal: 'Texte plus grand', falc: 'Lettres plus grandes' },
  prefContrast: { normal: 'Contraste renforcé', falc: 'Couleurs plus marquées' },
  prefSpacing: {
    normal: 'Plus d’espace entre les lignes et les mots',
    falc: 'Plus d’espace entre les lignes',
  },
  prefFalc: { normal: 'Mots plus simples (facile à lire)', falc: 'Mots plus simples' },
  prefFalcNote: {
    normal:
      'Les textes « facile à lire » ne sont pas encore relus par des lecteurs : ils ne sont pas certifiés FALC.',
    falc: 'Ces textes simples ne sont pas encore vérifiés par des lecteurs.',
  },
  prefsSave: { normal: 'Enregistrer mes choix', falc: 'Garder mes choix' },
  prefsSaved: { normal: 'Vos choix sont enregistrés.', falc: 'Vos choix sont gardés.' },

  // --- Accessibility statement ---
  a11yTitle: { normal: 'Accessibilité', falc: 'Accessibilité du site' },
  a11yStatus: {
    normal:
      'Maillage est partiellement conforme au référentiel général d’amélioration de l’accessibilité (RGAA 4.1), niveau AA.',
    falc: 'Ce site est en partie accessible. Nous continuons à l’améliorer.',
  },
  a11yHowHeading: { normal: 'Ce que nous vérifions', falc: 'Ce que nous vérifions' },
  a11yHow: {
    normal:
      'Chaque page publique est testée dans un navigateur : règles automatiques WCAG 2.1 AA, parcours au clavier seul, sans JavaScript, en 320 pixels de large.',
    falc: 'Nous testons chaque page. Nous vérifions le site avec le clavier seul. Nous vérifions aussi le site sur un petit écran.',
  },
  a11yNoAudit: {
    normal:
      'Aucun audit complet par un organisme extérieur n’a encore été fait : le taux de conformité n’est pas mesuré.',
    falc: 'Personne d’extérieur n’a encore vérifié tout le site.',
  },
  a11yLimitsHeading: {
    normal: 'Ce qui n’est pas encore accessible',
    falc: 'Ce qui ne marche pas encore bien',
  },
  a11yLimitMap: {
    normal:
      'La carte des résultats est une image : la liste des lieux, sous la carte, donne les mêmes informations.',
    falc: 'La carte est une image. La liste sous la carte dit la même chose.',
  },
  a11yLimitFalc: {
    normal:
      'Les textes « facile à lire » ne sont pas encore relus par des lecteurs : ils ne sont pas certifiés.',
    falc: 'Les textes simples ne sont pas encore vérifiés par des lecteurs.',
  },
  a11yLimitData: {
    normal:
      'Les présentations des lieux sont écrites par les lieux eux-mêmes : nous ne pouvons pas toutes les simplifier.',
    falc: 'Chaque lieu écrit sa présentation. Certaines sont difficiles à lire.',
  },
  a11yLimitPdf: {
    normal:
      'Les fichiers de données (CSV) ne sont pas faits pour être lus à l’écran : ils servent aux logiciels.',
    falc: 'Les fichiers de données servent aux logiciels. Ils ne sont pas faits pour être lus.',
  },
  a11yContactHeading: { normal: 'Signaler un problème', falc: 'Nous dire un problème' },
  a11yContact: {
    normal:
      'Vous n’arrivez pas à lire une page ou à trouver une information ? Contactez le réseau : nous vous donnons l’information autrement.',
    falc: 'Vous n’arrivez pas à utiliser une page ? Appelez le réseau. Nous vous aidons.',
  },
  a11yPhone: {
    normal: (phone: string) => `Par téléphone : ${phone}`,
    falc: (phone: string) => `Téléphone : ${phone}`,
  },
  a11yEmail: {
    normal: (email: string) => `Par courriel : ${email}`,
    falc: (email: string) => `Adresse mail : ${email}`,
  },
  a11yDefender: {
    normal:
      'Si vous n’obtenez pas de réponse, vous pouvez saisir le Défenseur des droits (defenseurdesdroits.fr, ou le 09 69 39 00 00).',
    falc: 'Personne ne vous répond ? Appelez le Défenseur des droits au 09 69 39 00 00.',
  },

  // --- Embed ---
  embedTitle: { normal: "Trouver de l'aide pour le numérique", falc: "Trouver de l'aide pour internet" },
});

export type SearchStrings = ReturnType<typeof SEARCH_STRINGS.pick>;

export function searchStrings(falc: boolean): SearchStrings {
  return SEARCH_STRINGS.pick(falc);
}
