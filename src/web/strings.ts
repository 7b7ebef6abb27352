import { defineCatalogue } from './catalogue.ts';

/** The words of the frame of every page (header, footer, network contact). */
export const LAYOUT_STRINGS = defineCatalogue({
  skipLink: { normal: 'Aller au contenu', falc: 'Aller au contenu' },
  mainMenu: { normal: 'Menu principal', falc: 'Menu' },
  home: { normal: 'Accueil', falc: 'Accueil' },
  allPlaces: { normal: 'Tous les lieux', falc: 'Tous les lieux' },
  agenda: { normal: 'Agenda des ateliers', falc: 'Les ateliers' },
  diagnostic: { normal: 'Faire le point sur mes besoins', falc: 'Savoir de quelle aide j’ai besoin' },
  demoLead: { normal: 'Démonstration :', falc: 'Attention :' },
  demoText: {
    normal:
      'les lieux affichés sont inventés pour montrer Maillage. Leurs numéros et adresses ne sont pas réels.',
    falc: 'ces lieux sont inventés. Leurs numéros et leurs adresses sont faux.',
  },
  contactLead: {
    normal: "Besoin d'aide pour trouver un lieu ? Appelez le réseau",
    falc: 'Vous avez besoin d’aide pour trouver un lieu ? Appelez le réseau',
  },
  contactAt: { normal: 'au', falc: 'au' },
  contactOrWrite: { normal: ' ou écrivez à ', falc: '. Vous pouvez aussi écrire à ' },
  contactWrite: { normal: ' : écrivez à ', falc: ' : écrivez à ' },
  accessibility: { normal: 'Accessibilité : partiellement conforme', falc: 'Accessibilité du site' },
  preferences: { normal: "Préférences d'affichage", falc: 'Changer l’affichage' },
  displayShort: { normal: 'Affichage', falc: 'Affichage' },
  displayMore: {
    normal: ' : texte plus grand, contraste, mots simples',
    falc: ' : texte plus grand, couleurs, mots simples',
  },
  openData: {
    normal: 'Données ouvertes (liste des lieux)',
    falc: 'Télécharger la liste des lieux',
  },
  mailUndelivered: {
    normal:
      'Aucun serveur de courriel n’est configuré : les messages de Maillage (invitations, liens de connexion, orientations) ne partent pas.',
    falc: 'Les mails de Maillage ne partent pas : aucun serveur de mail n’est réglé.',
  },
  mailUndeliveredLink: { normal: 'Voir les courriels en attente', falc: 'Voir les mails en attente' },
  credits: {
    normal:
      'Données des lieux au format du schéma national (ANCT / La MedNum). Communes : IGN – INSEE. Maillage est un logiciel libre.',
    falc: 'Les lieux suivent le modèle national des lieux d’aide au numérique. Maillage est un logiciel libre.',
  },
  embedFullSite: { normal: 'Ouvrir la recherche complète', falc: 'Ouvrir le site complet' },
});
