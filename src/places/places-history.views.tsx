import { formatInteger, formatIsoDate } from '../shared/format.ts';
import { Layout, type PageContext } from '../web/layout.tsx';
import type { DataQualityView, StalePlace } from './freshness.service.ts';
import type { Place } from './places.service.ts';

function QualityTable(props: { caption: string; places: Place[]; count: number; date?: boolean }) {
  if (props.count === 0) return <p>Aucun lieu.</p>;
  return (
    <>
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Lieu</th>
            <th scope="col">Commune</th>
            <th scope="col">Source</th>
            {props.date ? <th scope="col">Mise à jour</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.places.map((p) => (
            <tr>
              <th scope="row">
                <a href={`/lieux/${p.id}`}>{p.nom}</a>
              </th>
              <td>{p.commune}</td>
              <td>{p.source}</td>
              {props.date ? <td>{p.dateMaj ? formatIsoDate(p.dateMaj) : 'inconnue'}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
      {props.count > props.places.length ? (
        <p>
          Les {formatInteger(props.places.length)} premiers lieux sur {formatInteger(props.count)}.
        </p>
      ) : null}
    </>
  );
}

function StaleTable(props: { caption: string; places: StalePlace[]; count: number }) {
  if (props.count === 0) return <p>Aucun lieu.</p>;
  return (
    <>
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Structure</th>
            <th scope="col">Lieu</th>
            <th scope="col">Commune</th>
            <th scope="col">Mise à jour</th>
          </tr>
        </thead>
        <tbody>
          {props.places.map((p) => (
            <tr>
              <td>{p.structureName ?? 'Sans structure'}</td>
              <th scope="row">
                <a href={`/lieux/${p.id}`}>{p.nom}</a>
              </th>
              <td>{p.commune}</td>
              <td>{p.dateMaj ? formatIsoDate(p.dateMaj) : 'inconnue'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.count > props.places.length ? (
        <p>
          Les {formatInteger(props.places.length)} premiers lieux sur {formatInteger(props.count)}.
        </p>
      ) : null}
    </>
  );
}

/** The coordinator's data-quality page. */
export function QualityPage(props: { ctx: PageContext; quality: DataQualityView }) {
  const q = props.quality;
  return (
    <Layout title="Qualité des données" ctx={props.ctx}>
      <h1>Qualité des données</h1>
      <p>{formatInteger(q.total)} lieux affichés (un lieu publié par deux sources compte une fois).</p>
      <h2>Lieux sans horaires ({formatInteger(q.withoutHours.count)})</h2>
      <QualityTable
        caption="Lieux sans horaires"
        places={q.withoutHours.places}
        count={q.withoutHours.count}
      />
      <h2>Positions approximatives ({formatInteger(q.approximate.count)})</h2>
      <QualityTable
        caption="Lieux placés au point de référence de leur commune"
        places={q.approximate.places}
        count={q.approximate.count}
      />
      <h2>Mises à jour de plus de 12 mois ou inconnues ({formatInteger(q.staleByStructure.count)})</h2>
      <p>
        Chaque jour, les administrateurs de chaque structure reçoivent par e-mail la liste de leurs lieux à
        vérifier (au plus une fois tous les 30 jours). Une structure sans administrateur ne reçoit rien.
      </p>
      <StaleTable
        caption={`Lieux mis à jour avant le ${formatIsoDate(q.staleByStructure.before)} ou sans date, par structure`}
        places={q.staleByStructure.places}
        count={q.staleByStructure.count}
      />
      <h2>Avertissements par champ</h2>
      {q.warningsByField.length === 0 ? (
        <p>Aucun avertissement dans les derniers imports.</p>
      ) : (
        <table>
          <caption>Avertissements des {q.lastImports} derniers imports, par champ</caption>
          <thead>
            <tr>
              <th scope="col">Champ</th>
              <th scope="col">Avertissements</th>
              <th scope="col">Imports concernés</th>
            </tr>
          </thead>
          <tbody>
            {q.warningsByField.map((w) => (
              <tr>
                <th scope="row">{w.field ?? 'fichier'}</th>
                <td>{formatInteger(w.warnings)}</td>
                <td>{formatInteger(w.imports)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
