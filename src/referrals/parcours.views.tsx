import { Csrf } from '../web/forms.tsx';
import type { PageContext } from '../web/layout.tsx';
import type { ParcoursStep } from './parcours.service.ts';
import { formatDate, STATE_LABELS } from './referrals.ts';
import { Page } from './referrals.views.tsx';

/** A person's parcours, and the confirmation before erasing her data. */

export function ParcoursPage(props: {
  ctx: PageContext;
  csrf: string;
  id: string;
  steps: ParcoursStep[];
  notice?: string | null;
}) {
  return (
    <Page ctx={props.ctx} title="Parcours de la personne">
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <p>
        Les orientations de la personne, dans l’ordre. Seules les structures qui y ont pris part voient ce
        parcours ; vous ouvrez les étapes de votre structure.
      </p>
      <ol>
        {props.steps.map((s) => (
          <li>
            <p>
              {s.visible ? (
                <a href={`/orientations/${s.id}`}>
                  {formatDate(s.sentAt)} : de {s.senderStructureName} vers {s.placeName}
                </a>
              ) : (
                <>
                  {formatDate(s.sentAt)} : de {s.senderStructureName} vers {s.placeName}
                </>
              )}
            </p>
            <p>
              {s.needs.join(', ')}. Situation : {STATE_LABELS[s.state]}.
            </p>
          </li>
        ))}
      </ol>
      <h2>Les données de la personne</h2>
      <p>La personne peut demander à voir ses données, ou à les effacer.</p>
      <ul class="actions">
        <li>
          <a href={`/orientations/parcours/${props.id}/donnees`}>Télécharger ses données (JSON)</a>
        </li>
        <li>
          <a href={`/orientations/parcours/${props.id}/effacer`}>Effacer ses données</a>
        </li>
      </ul>
    </Page>
  );
}

export function EraseConfirmPage(props: { ctx: PageContext; csrf: string; id: string }) {
  return (
    <Page ctx={props.ctx} title="Effacer les données de la personne">
      <p>
        Le nom, les moyens de contact, les messages et le diagnostic de la personne seront effacés de toutes
        les orientations de son parcours, définitivement. Les lieux, les besoins et les dates restent, sans
        rien de personnel.
      </p>
      <form method="post" action={`/orientations/parcours/${props.id}/effacer`}>
        <Csrf token={props.csrf} />
        <button type="submit">Effacer définitivement ses données</button>
      </form>
      <p>
        <a href={`/orientations/parcours/${props.id}`}>Revenir au parcours sans rien effacer</a>
      </p>
    </Page>
  );
}
