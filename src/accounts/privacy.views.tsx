import { BENEFICIARY_RETENTION_MONTHS } from '../activities/vocabulary.ts';
import type { NetworkContact } from '../config.ts';
import { Layout, type PageContext } from '../web/layout.tsx';

/** The legal notice and the personal-data page. French text lives here. */

function Contact({ contact }: { contact: NetworkContact }) {
  if (!contact.email && !contact.phone) return <>l'équipe de coordination du réseau</>;
  return (
    <>
      l'équipe de coordination du réseau
      {contact.email ? (
        <>
          {' '}
          par e-mail à <a href={`mailto:${contact.email}`}>{contact.email}</a>
        </>
      ) : null}
      {contact.email && contact.phone ? ' ou' : null}
      {contact.phone ? <> par téléphone au {contact.phone}</> : null}
    </>
  );
}

export function LegalNoticePage(props: { ctx: PageContext; territoryLabel: string; publicUrl: string }) {
  return (
    <Layout title="Mentions légales" ctx={props.ctx}>
      <h1>Mentions légales</h1>
      <h2>Qui publie ce site</h2>
      <p>
        Ce site ({props.publicUrl}) est publié par le réseau d'inclusion numérique du territoire «{' '}
        {props.territoryLabel} ». Pour toute question, contactez{' '}
        <Contact contact={props.ctx.networkContact} />.
      </p>
      <h2>Les informations sur les lieux</h2>
      <p>
        Les lieux, leurs horaires et leurs services sont tenus à jour par les structures du réseau et relus
        par la coordination. Si une information est fausse, signalez-la depuis la page du lieu.
      </p>
      <h2>Réutilisation des données</h2>
      <p>
        La liste des lieux est une donnée ouverte : vous pouvez la télécharger et la réutiliser en citant la
        source.
      </p>
      <p>
        <a href="/donnees-personnelles">Vos données personnelles</a>
      </p>
    </Layout>
  );
}

export interface RetentionPeriods {
  sentMailDays: number;
  errorReportDays: number;
  joinRequestDays: number;
  inactiveAccountMonths: number;
  orientationMonths: number;
  orientationUnansweredMonths: number;
  callbackDays: number;
  registrationDays: number;
}

const days = (n: number) => (n === 1 ? '1 jour' : `${n} jours`);

/** The tile server's host as a reader can check it: "tile.openstreetmap.org" for "https://{s}.tile…". */
function tileHost(template: string): string {
  try {
    return new URL(template.replace('{s}.', '').replace(/\{[sxyzr]\}/g, '0')).host;
  } catch {
    return template;
  }
}

export function PersonalDataPage(props: {
  ctx: PageContext;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  /** Every period from the configuration (RETENTION_*). */
  retention: RetentionPeriods;
  /** Whether place addresses are sent to the national geocoder (GEOCODER_URL). */
  geocoderOn: boolean;
}) {
  const r = props.retention;
  return (
    <Layout title="Données personnelles" ctx={props.ctx}>
      <h1>Données personnelles</h1>
      <p>
        Chercher un lieu ne demande aucun compte : nous ne gardons ni votre position ni votre adresse. Seules
        les personnes qui travaillent dans le réseau ont un compte.
      </p>
      <h2>Ce que nous gardons, pourquoi et combien de temps</h2>
      <ul>
        <li>
          <strong>Les comptes</strong> (nom, adresse e-mail, mot de passe chiffré, structures, rôle, code de
          double authentification) : pour vous connecter et savoir ce que vous pouvez faire. Gardés tant que
          le compte sert ; vous pouvez le supprimer vous-même depuis « Mon compte ». Un compte qui ne s'est
          pas connecté depuis {r.inactiveAccountMonths} mois est supprimé (sauf les comptes de la coordination
          du réseau) ; un courriel vous prévient 30 jours avant, et il suffit de vous connecter pour le
          garder.
        </li>
        <li>
          <strong>Les sessions de connexion</strong> : pour rester connecté·e. Une session se ferme après{' '}
          {props.sessionIdleMinutes} minutes sans activité et au plus tard {props.sessionMaxHours} heures
          après la connexion ; elle est ensuite effacée.
        </li>
        <li>
          <strong>Les liens envoyés par e-mail et les essais de connexion</strong> : pour vous protéger. Un
          lien est effacé une semaine après la fin de sa validité ; le nombre d'essais de connexion, au bout
          d'un jour.
        </li>
        <li>
          <strong>Les e-mails envoyés</strong> (invitations, liens de connexion, rappels) : gardés{' '}
          {days(r.sentMailDays)} après leur envoi, puis effacés.
        </li>
        <li>
          <strong>Les messages de la coordination au réseau</strong> : le message est gardé ; la liste des
          personnes qui l’ont reçu est gardée {days(r.sentMailDays)} après l’envoi, puis effacée (il reste le
          nombre de personnes).
        </li>
        <li>
          <strong>Les demandes pour rejoindre une structure</strong> : gardées {days(r.joinRequestDays)} après
          la décision, puis effacées.
        </li>
        <li>
          <strong>Les signalements d'erreur</strong> sur un lieu (votre message et, si vous le donnez, un
          moyen de vous recontacter) : pour corriger la fiche. Le moyen de vous recontacter est effacé{' '}
          {days(r.errorReportDays)} après le signalement ; un signalement traité est effacé{' '}
          {days(r.errorReportDays)} après la décision.
        </li>
        <li>
          <strong>Les demandes « Être rappelé »</strong> (votre prénom, votre numéro de téléphone, le moment
          choisi) : pour vous appeler une fois. Seules la structure du lieu et la coordination du réseau les
          voient ; elles ne sont jamais envoyées par courriel. Effacées {days(r.callbackDays)} après la
          demande.
        </li>
        <li>
          <strong>Les inscriptions aux ateliers</strong> (votre prénom, votre numéro de téléphone ou votre
          adresse e-mail) : pour vous garder une place, vous prévenir d’un changement et vous envoyer un
          rappel la veille. Seule la structure qui organise l’atelier les voit. Effacées{' '}
          {days(r.registrationDays)} après l’atelier ; il reste le nombre de personnes inscrites et présentes.
        </li>
        <li>
          <strong>Les orientations</strong> d'une personne vers un lieu : ses informations personnelles sont
          effacées {r.orientationMonths} mois après la fin de l'accompagnement, ou{' '}
          {r.orientationUnansweredMonths} mois après un refus ou une demande restée sans réponse.
        </li>
        <li>
          <strong>Les personnes suivies</strong> par une structure (prénom, coordonnées si la personne les
          donne) : seulement quand son suivi le demande et avec son accord. Seule sa structure les voit.
          Effacées {BENEFICIARY_RETENTION_MONTHS} mois après le dernier accompagnement, ou plus tôt à sa
          demande ; les activités restent, sans nom.
        </li>
        <li>
          <strong>Les bénévoles</strong> (nom, adresse e-mail, téléphone si vous le donnez, disponibilités,
          compétences, communes, date et version de la charte acceptée) : pour vous proposer des missions.
          Seules la coordination du réseau et les structures qui vous proposent une mission, ou à qui vous
          proposez votre aide, les voient. Supprimer votre compte les efface, avec vos propositions.
        </li>
        <li>
          <strong>Les contacts pour les professionnels</strong> des lieux (ligne directe, adresse pour les
          orientations) : ce sont les contacts du lieu, pas d'une personne. Seules les personnes connectées
          qui travaillent dans le réseau les voient ; ils ne sont jamais publiés.
        </li>
        <li>
          <strong>Le journal des actions sensibles</strong> (connexions, changements de rôle, décisions de
          modération, exports) : pour la sécurité et pour savoir qui a fait quoi. Il ne peut être ni modifié
          ni effacé ; après la suppression d'un compte, il ne garde qu'un identifiant sans nom ni adresse.
        </li>
      </ul>
      <p>Ces durées sont réglées par le réseau ; les données plus anciennes sont effacées chaque jour.</p>
      <h2>Le placement des lieux sur la carte</h2>
      {props.geocoderOn ? (
        <p>
          Pour placer un lieu sur la carte, son adresse (jamais celle d'une personne) est envoyée au service
          national de géocodage de l'IGN (Géoplateforme).
        </p>
      ) : (
        <p>
          Le géocodage n'est pas activé : aucune adresse n'est envoyée à un autre service. Les lieux sont
          placés avec la position donnée par leur structure, ou au centre de leur commune.
        </p>
      )}
      {props.ctx.tiles ? (
        <p>
          Sur la carte des résultats, le fond de plan vient du serveur {tileHost(props.ctx.tiles.url)} : il
          reçoit votre adresse IP et les coordonnées de la zone affichée, jamais ce que vous cherchez.
        </p>
      ) : null}
      <h2>Vos droits</h2>
      <p>
        Vous pouvez télécharger les données de votre compte et le supprimer depuis « Mon compte ». Pour toute
        autre demande (consulter, corriger ou effacer vos données), contactez{' '}
        <Contact contact={props.ctx.networkContact} />. Vous pouvez aussi vous adresser à la CNIL.
      </p>
      <p>Ce site n'utilise pas de cookie publicitaire ni de mesure d'audience.</p>
    </Layout>
  );
}
