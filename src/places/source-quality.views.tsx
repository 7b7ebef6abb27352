import { formatInteger } from '../shared/format.ts';
import { Layout, type PageContext } from '../web/layout.tsx';
import { formatDay, localToday } from './place-dates.ts';
import type {
  SourceConflict,
  SourceCorrections,
  SourceFigures,
  SourceQuality,
} from './source-quality.service.ts';
import { CORRECTION_KINDS } from './source-quality.ts';

/** The data-quality page's sections per source, and the corrections page (docs/decisions/0059). */

const day = (at: Date) => formatDay(localToday(at));

/** The address of a source's corrections file. */
export function correctionsCsvHref(source: string): string {
  return `/qualite/corrections.csv?source=${encodeURIComponent(source)}`;
}

function originOf(s: SourceFigures): string {
  if (s.own) return 'créés sur ce site';
  if (s.national === 'data-inclusion') return 'data·inclusion';
  if (s.national === 'national') return 'cartographie nationale';
  if (s.national === 'named') return 'système national (par son nom)';
  return 'fichier importé';
}

function LastImportCells(props: { source: SourceFigures }) {
  const last = props.source.lastImport;
  if (!last)
    return (
      <>
        <td>aucun parmi les derniers</td>
        <td>—</td>
        <td>—</td>
        <td>—</td>
      </>
    );
  return (
    <>
      <td>
        <a href={`/imports/${last.id}/rapport.csv`}>
          {day(last.startedAt)}
          {last.fileName ? ` (${last.fileName})` : ''}
        </a>
      </td>
      <td>{formatInteger(last.newPlaces)}</td>
      <td>{formatInteger(last.merged)}</td>
      <td>{formatInteger(last.outsideSkipped)}</td>
    </>
  );
}

function ConflictRecord(props: { record: SourceConflict['records'][number] }) {
  const r = props.record;
  return (
    <td>
      {r.value}
      <br />
      {r.source} (identifiant {r.sourceId}){r.shown ? ', fiche affichée' : ''}
    </td>
  );
}

/** Per source: its last import's figures, then the conflicts between merged records. */
export function SourcesSection(props: { quality: SourceQuality }) {
  const q = props.quality;
  return (
    <>
      <h2 id="sources">Par source</h2>
      <p>
        Ce que le dernier import de chaque source a apporté (parmi les {formatInteger(q.lastImports)} derniers
        imports). « Fusionnés » : lieux reconnus comme déjà présents sous une autre source ; l'annuaire
        affiche une seule fiche, la plus récente. « Hors territoire » : lignes d'un fichier national non
        importées.
      </p>
      {q.sources.length === 0 ? (
        <p>Aucune source : l'annuaire est vide.</p>
      ) : (
        <section class="table-scroll" tabindex={0} aria-label="Lieux et dernier import, par source">
          <table>
            <caption>Lieux et dernier import, par source</caption>
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">Origine</th>
                <th scope="col">Lieux</th>
                <th scope="col">Cachés derrière la fiche d'une autre source</th>
                <th scope="col">Dernier import (rapport)</th>
                <th scope="col">Nouveaux</th>
                <th scope="col">Fusionnés</th>
                <th scope="col">Hors territoire</th>
                <th scope="col">Conflits</th>
              </tr>
            </thead>
            <tbody>
              {q.sources.map((s) => (
                <tr>
                  <th scope="row">{s.source}</th>
                  <td>{originOf(s)}</td>
                  <td>{formatInteger(s.places)}</td>
                  <td>{formatInteger(s.hidden)}</td>
                  <LastImportCells source={s} />
                  <td>{formatInteger(s.conflicts)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <h2 id="conflits">Conflits entre sources ({formatInteger(q.conflicts.count)})</h2>
      <p>
        Le même lieu publié par deux sources, avec des horaires ou un téléphone différents. Le public voit la
        fiche affichée ; corrigez l'autre source ou la fiche, puis renvoyez la correction.
      </p>
      {q.conflicts.count === 0 ? (
        <p>Aucun conflit.</p>
      ) : (
        <>
          <section
            class="table-scroll"
            tabindex={0}
            aria-label="Lieux fusionnés dont les sources ne donnent pas les mêmes horaires ou téléphone"
          >
            <table>
              <caption>
                Lieux fusionnés dont les sources ne donnent pas les mêmes horaires ou téléphone
              </caption>
              <thead>
                <tr>
                  <th scope="col">Lieu</th>
                  <th scope="col">Champ</th>
                  <th scope="col">Première source</th>
                  <th scope="col">Seconde source</th>
                  <th scope="col">Fiche affichée</th>
                </tr>
              </thead>
              <tbody>
                {q.conflicts.list.map((c) => (
                  <tr>
                    <th scope="row">
                      <a href={`/lieux/${c.shown.id}`}>{c.shown.nom}</a>
                    </th>
                    <td>{c.label}</td>
                    {c.records.map((r) => (
                      <ConflictRecord record={r} />
                    ))}
                    <td>{c.shown.source}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          {q.conflicts.count > q.conflicts.list.length ? (
            <p>
              Les {formatInteger(q.conflicts.list.length)} premiers conflits sur{' '}
              {formatInteger(q.conflicts.count)}.
            </p>
          ) : null}
        </>
      )}
      <p>
        <a href="/qualite/corrections">Corrections à renvoyer aux sources</a> : signalements et modifications
        validées des lieux venus d'une autre source, un fichier par source.
      </p>
    </>
  );
}

function CorrectionsTable(props: { corrections: SourceCorrections }) {
  const c = props.corrections;
  return (
    <>
      <section class="table-scroll" tabindex={0} aria-label={`Corrections des lieux de « ${c.source} »`}>
        <table>
          <caption>Corrections des lieux de « {c.source} », les plus anciennes d'abord</caption>
          <thead>
            <tr>
              <th scope="col">Lieu</th>
              <th scope="col">Identifiant dans la source</th>
              <th scope="col">Date</th>
              <th scope="col">Nature</th>
              <th scope="col">Champ</th>
              <th scope="col">Ancienne valeur</th>
              <th scope="col">Nouvelle valeur ou message</th>
              <th scope="col">État</th>
            </tr>
          </thead>
          <tbody>
            {c.lines.map((line) => (
              <tr>
                <th scope="row">
                  <a href={`/lieux/${line.placeId}`}>{line.placeName}</a> ({line.commune})
                </th>
                <td>{line.sourceId}</td>
                <td>{day(line.date)}</td>
                <td>{CORRECTION_KINDS[line.kind]}</td>
                <td>{line.change?.label ?? '—'}</td>
                <td>{line.change?.before ?? '—'}</td>
                <td>{line.change ? line.change.after : line.message}</td>
                <td>{line.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {c.total > c.lines.length ? (
        <p>
          Les {formatInteger(c.lines.length)} premières lignes sur {formatInteger(c.total)} : le fichier les
          donne toutes.
        </p>
      ) : null}
    </>
  );
}

/** The corrections page: per source, what the network corrected of its places, with its CSV. */
export function CorrectionsPage(props: { ctx: PageContext; sources: SourceCorrections[] }) {
  return (
    <Layout title="Corrections à renvoyer aux sources" ctx={props.ctx}>
      <h1>Corrections à renvoyer aux sources</h1>
      <p>
        Les signalements d'erreur (sauf ceux rejetés) et les modifications validées des lieux venus d'une
        autre source que ce site. Envoyez à chaque source son fichier : ses responsables retrouvent chaque
        lieu par son identifiant. Les fichiers ne disent pas qui a signalé ou modifié. Relisez les messages
        avant de les envoyer : ils sont écrits par le public.
      </p>
      <p>
        <a href="/qualite">Retour à la qualité des données</a>
      </p>
      {props.sources.length === 0 ? (
        <p>Aucune correction à renvoyer.</p>
      ) : (
        <>
          <section class="table-scroll" tabindex={0} aria-label="Corrections par source">
            <table>
              <caption>Corrections par source</caption>
              <thead>
                <tr>
                  <th scope="col">Source</th>
                  <th scope="col">Signalements</th>
                  <th scope="col">Modifications validées</th>
                  <th scope="col">Fichier</th>
                </tr>
              </thead>
              <tbody>
                {props.sources.map((s) => (
                  <tr>
                    <th scope="row">{s.source}</th>
                    <td>{formatInteger(s.reports)}</td>
                    <td>{formatInteger(s.edits)}</td>
                    <td>
                      <a href={correctionsCsvHref(s.source)} download>
                        CSV de « {s.source} »
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          {props.sources.map((s) => (
            <section>
              <h2>{s.source}</h2>
              <CorrectionsTable corrections={s} />
            </section>
          ))}
        </>
      )}
    </Layout>
  );
}
