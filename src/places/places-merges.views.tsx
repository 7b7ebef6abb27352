import { ownEntry } from '../shared/own.ts';
import { formatPhone } from '../shared/phone.ts';
import { Csrf } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import { formatDay, localToday } from './place-dates.ts';
import type { MergedRecord, MergeReview, MergeReviewList, MergeStatus } from './places-merges.service.ts';
import type { MergeFilter } from './places-merges.ts';
import { describeTypology } from './schema-values.ts';

/**
 * The coordinators' review of merges (/fusions, /fusions/:id): both records side by side, why they
 * matched, and the « Confirmer » / « Séparer » forms. French text lives here. The comparison is a table
 * (one row per field, one column per record) that scrolls sideways on a narrow screen rather than
 * squeezing both records.
 */

const day = (d: Date) => formatDay(localToday(d));
const percent = (score: number) => `${Math.round(score * 100)} %`;

const FILTER_WORDS: Record<MergeFilter, { link: string; heading: string; empty: string }> = {
  'a-verifier': {
    link: 'À vérifier',
    heading: 'Fusions à vérifier',
    empty: 'Aucune fusion n’attend votre vérification.',
  },
  verifiees: {
    link: 'Vérifiées',
    heading: 'Fusions vérifiées',
    empty: 'Aucune fusion n’a encore été confirmée.',
  },
  separees: {
    link: 'Séparées',
    heading: 'Fusions séparées ou refusées',
    empty: 'Aucune fusion n’a été séparée ni refusée.',
  },
};

/** What each action did, said on the page it leads back to (`?fait=`). */
export const MERGE_NOTICES: Record<string, string> = {
  appliquee:
    'Fusion confirmée et appliquée : les deux fiches sont maintenant un seul lieu pour le public (la fiche la plus récente est affichée).',
  confirmee: 'Fusion confirmée : elle reste appliquée, et elle est marquée comme vérifiée.',
  separee:
    'Fusion séparée : les deux fiches sont de nouveau deux lieux distincts, et aucun import ne les fusionnera plus.',
  refusee:
    'Fusion refusée : les deux lieux restent distincts, et aucun import ne proposera plus de les fusionner.',
};

function statusWords(merge: MergeReview): string {
  const by = (prefix: string) =>
    `${prefix} le ${merge.reviewedAt ? day(merge.reviewedAt) : '?'}${merge.reviewedBy ? ` par ${merge.reviewedBy}` : ''}`;
  const words: Record<MergeStatus, string> = {
    pending:
      'Proposée, pas encore appliquée : les deux lieux sont affichés séparément en attendant votre décision.',
    applied: 'Appliquée à l’import, pas encore vérifiée : le public ne voit qu’un lieu.',
    confirmed: `${by('Confirmée')} : le public ne voit qu’un lieu.`,
    separated: `${by('Séparée')} : deux lieux distincts, qui ne seront plus fusionnés.`,
    refused: `${by('Refusée')} : jamais appliquée, deux lieux distincts qui ne seront plus proposés.`,
  };
  return words[merge.status];
}

/** How a merge is named in headings and in the buttons' accessible names. */
export function mergeName(merge: MergeReview): string {
  return `« ${merge.canonical.nom} » et « ${merge.merged.nom} »`;
}

function List(props: { items: string[]; none: string }) {
  if (props.items.length === 0) return <>{props.none}</>;
  if (props.items.length === 1) return <>{props.items[0]}</>;
  return (
    <ul>
      {props.items.map((item) => (
        <li>{item}</li>
      ))}
    </ul>
  );
}

/** The rows of the comparison: a field's name, and how each record shows it. */
const ROWS: { title: string; cell: (r: MergedRecord) => unknown }[] = [
  { title: 'Nom', cell: (r) => r.nom },
  { title: 'Source', cell: (r) => `${r.source} (identifiant ${r.sourceId})` },
  {
    title: 'Adresse',
    cell: (r) => (r.complementAdresse ? `${r.adresse}, ${r.complementAdresse}` : r.adresse),
  },
  { title: 'Commune', cell: (r) => `${r.codePostal} ${r.commune}` },
  {
    title: 'Type de lieu',
    cell: (r) => <List items={r.typologie.map(describeTypology)} none="non indiqué" />,
  },
  { title: 'Téléphone', cell: (r) => (r.telephone ? formatPhone(r.telephone) : 'non indiqué') },
  { title: 'Site', cell: (r) => <List items={r.siteWeb} none="non indiqué" /> },
  { title: 'Services', cell: (r) => <List items={r.services} none="non indiqués" /> },
  {
    title: 'Mise à jour',
    cell: (r) => (r.dateMaj ? formatDay(r.dateMaj) : 'date non indiquée'),
  },
  {
    title: 'Fiche publique',
    cell: (r) =>
      r.shown ? (
        <a href={`/lieux/${r.id}`}>Voir la fiche publique de {r.nom}</a>
      ) : (
        'Cachée : le public voit l’autre fiche'
      ),
  },
];

function Comparison(props: { merge: MergeReview }) {
  const { canonical, merged } = props.merge;
  return (
    <section
      class="table-scroll"
      tabindex={0}
      aria-label={`Comparaison des fiches de ${mergeName(props.merge)}`}
    >
      <table class="diff merge-compare">
        <caption class="visually-hidden">
          Les deux fiches de {mergeName(props.merge)}, champ par champ
        </caption>
        <thead>
          <tr>
            <th scope="col">Champ</th>
            <th scope="col">Fiche de « {canonical.source} »</th>
            <th scope="col">Fiche de « {merged.source} »</th>
          </tr>
        </thead>
        <tbody>
          {ROWS.map((row) => (
            <tr>
              <th scope="row">{row.title}</th>
              <td>{row.cell(canonical)}</td>
              <td>{row.cell(merged)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Where a form sends the coordinator back: the list they acted from (filter and page), or the merge's page. */
export interface ReturnTo {
  etat: MergeFilter;
  page: number;
}

function Decision(props: { merge: MergeReview; csrf: string; returnTo: ReturnTo | null }) {
  const { merge } = props;
  const open = merge.status === 'pending' || merge.status === 'applied';
  const separable = open || merge.status === 'confirmed';
  if (!separable) return null;
  const back = props.returnTo ? (
    <>
      <input type="hidden" name="etat" value={props.returnTo.etat} />
      <input type="hidden" name="page" value={String(props.returnTo.page)} />
    </>
  ) : null;
  return (
    <ul class="actions merge-actions">
      {open ? (
        <li>
          <form method="post" action={`/fusions/${merge.id}/confirmer`}>
            <Csrf token={props.csrf} />
            {back}
            <button type="submit">
              Confirmer<span class="visually-hidden"> la fusion de {mergeName(merge)}</span>
            </button>
          </form>
        </li>
      ) : null}
      <li>
        <form method="post" action={`/fusions/${merge.id}/separer`}>
          <Csrf token={props.csrf} />
          {back}
          <button type="submit" class="button secondary">
            Séparer<span class="visually-hidden"> {mergeName(merge)}</span>
          </button>
        </form>
      </li>
    </ul>
  );
}

/** What « Confirmer » and « Séparer » do for this merge, said once before the buttons. */
function DecisionHelp(props: { merge: MergeReview }) {
  const { status } = props.merge;
  if (status === 'pending')
    return (
      <p class="hint">
        « Confirmer » applique la fusion : le public ne verra plus qu’un lieu. « Séparer » refuse la fusion :
        les deux lieux restent distincts et ne seront plus proposés.
      </p>
    );
  if (status === 'applied' || status === 'confirmed')
    return (
      <p class="hint">
        {status === 'applied' ? '« Confirmer » garde la fusion et la marque comme vérifiée. ' : ''}« Séparer »
        défait la fusion : les deux fiches redeviennent deux lieux, et ne seront plus fusionnées.
      </p>
    );
  return null;
}

/** One merge: its state, the similarity and its reasons, both records side by side, the decision. */
function MergeBody(props: { merge: MergeReview; csrf: string; returnTo: ReturnTo | null }) {
  const { merge } = props;
  return (
    <>
      <p class={merge.status === 'pending' ? 'pending merge-status' : 'merge-status'}>
        <strong>État :</strong> {statusWords(merge)}
      </p>
      <p>
        <strong>Similarité : {percent(merge.score)}</strong> (fusion trouvée le {day(merge.createdAt)}).
        Raisons du rapprochement :
      </p>
      <ul>
        {merge.reasons.map((reason) => (
          <li>{reason}</li>
        ))}
      </ul>
      <Comparison merge={merge} />
      <DecisionHelp merge={merge} />
      <Decision merge={merge} csrf={props.csrf} returnTo={props.returnTo} />
    </>
  );
}

function Notice(props: { done: string | null }) {
  const notice = ownEntry(MERGE_NOTICES, props.done);
  return notice ? (
    <p class="notice" role="status">
      {notice}
    </p>
  ) : null;
}

function listHref(filter: MergeFilter, page = 1): string {
  return `/fusions?etat=${filter}${page > 1 ? `&page=${page}` : ''}`;
}

export function MergesPage(props: {
  ctx: PageContext;
  csrf: string;
  list: MergeReviewList;
  done: string | null;
}) {
  const { list } = props;
  const words = FILTER_WORDS[list.filter];
  const counts: Record<MergeFilter, number> = {
    'a-verifier': list.counts.toReview,
    verifiees: list.counts.reviewed,
    separees: list.counts.separated,
  };
  const pageWords = list.pages > 1 ? ` — page ${list.page} sur ${list.pages}` : '';
  return (
    <Layout title={`${words.heading}${pageWords}`} ctx={props.ctx}>
      <h1>Fusions de lieux</h1>
      <Notice done={props.done} />
      <p>
        Quand deux sources publient le même lieu, l’import rapproche leurs fiches. Si leur similarité est
        assez haute, il les fusionne : le public ne voit qu’un lieu, avec la fiche la plus récente. Sinon, la
        fusion est seulement proposée : les deux lieux restent affichés séparément jusqu’à votre décision.
      </p>
      <p>
        {list.counts.pending} fusion{list.counts.pending > 1 ? 's proposées attendent' : ' proposée attend'}{' '}
        votre décision.
      </p>
      <nav aria-label="Filtrer les fusions">
        <ul class="actions">
          {(Object.keys(FILTER_WORDS) as MergeFilter[]).map((filter) => (
            <li>
              <a href={listHref(filter)} aria-current={filter === list.filter ? 'page' : undefined}>
                {FILTER_WORDS[filter].link} ({counts[filter]})
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <h2>
        {words.heading}
        {pageWords}
      </h2>
      {list.merges.length === 0 ? (
        <p>
          {list.page > 1 ? (
            <>
              Cette page est vide. <a href={listHref(list.filter)}>Revenir à la première page</a>
            </>
          ) : (
            words.empty
          )}
        </p>
      ) : (
        list.merges.map((merge) => (
          <section class="merge" aria-labelledby={`fusion-${merge.id}`}>
            <h3 id={`fusion-${merge.id}`}>{mergeName(merge)}</h3>
            <MergeBody merge={merge} csrf={props.csrf} returnTo={{ etat: list.filter, page: list.page }} />
            <p>
              <a href={`/fusions/${merge.id}`}>Ouvrir la fusion de {mergeName(merge)} seule sur une page</a>
            </p>
          </section>
        ))
      )}
      {list.pages > 1 ? (
        <nav class="pager" aria-label="Pages">
          {list.page > 1 ? <a href={listHref(list.filter, list.page - 1)}>Page précédente</a> : null}
          {list.page < list.pages ? <a href={listHref(list.filter, list.page + 1)}>Page suivante</a> : null}
        </nav>
      ) : null}
    </Layout>
  );
}

export function MergePage(props: {
  ctx: PageContext;
  csrf: string;
  merge: MergeReview;
  done: string | null;
}) {
  const { merge } = props;
  return (
    <Layout title={`Fusion de ${mergeName(merge)}`} ctx={props.ctx}>
      <p>
        <a href="/fusions">Retour aux fusions à vérifier</a>
      </p>
      <h1>Fusion de {mergeName(merge)}</h1>
      <Notice done={props.done} />
      <MergeBody merge={merge} csrf={props.csrf} returnTo={null} />
    </Layout>
  );
}
