import { Csrf, ErrorSummary } from '../web/forms.tsx';
import { Layout, type PageContext } from '../web/layout.tsx';
import {
  FIELD_LABELS,
  JOIN_SLOTS,
  LIST_FIELD_VALUES,
  MODE_LABELS,
  type RuleMode,
  ruleFields,
  UNTRANSLATED,
} from './import-mapping-form.ts';
import type { MappingView } from './import-uploads.service.ts';
import { plural } from './imports.views.tsx';
import { SCHEMA_FIELDS, type SchemaField } from './places.ts';
import { REQUIRED_COLUMNS } from './places-file.ts';

/**
 * The column-mapping page of an upload: each schema field with the rule that fills it, the words of the
 * file's list columns with the schema values they become, and the rules kept from a JSON mapping.
 */

function ColumnSelect(props: {
  id: string;
  name: string;
  label: string;
  columns: string[];
  value: string;
  visuallyHidden?: boolean;
}) {
  return (
    <>
      <label for={props.id} class={props.visuallyHidden ? 'visually-hidden' : undefined}>
        {props.label}
      </label>
      <select id={props.id} name={props.name}>
        <option value="">— aucune —</option>
        {props.columns.map((c) => (
          <option value={c} selected={c === props.value}>
            {c}
          </option>
        ))}
      </select>
    </>
  );
}

function FieldRule(props: { field: SchemaField; view: MappingView; problem?: string | undefined }) {
  const f = props.field;
  const rule = ruleFields(props.view.mapping.fields[f]);
  const id = (prefix: string) => `${prefix}-${f}`;
  const label = FIELD_LABELS[f];
  return (
    <fieldset
      class={props.problem ? 'field has-error mapping-field' : 'field mapping-field'}
      id={`champ-${f}`}
    >
      <legend>
        {label} <span class="hint">({f})</span>
      </legend>
      {props.problem ? (
        <p class="field-error">
          <span class="visually-hidden">Erreur : </span>
          {props.problem}
        </p>
      ) : null}
      <div class="mapping-main">
        <span>
          <label for={id('mode')}>Prendre</label>
          <select id={id('mode')} name={`mode.${f}`}>
            {(Object.keys(MODE_LABELS) as RuleMode[]).map((m) => (
              <option value={m} selected={m === rule.mode}>
                {MODE_LABELS[m]}
              </option>
            ))}
          </select>
        </span>
        <span>
          <ColumnSelect
            id={id('col')}
            name={`col.${f}`}
            label="Colonne"
            columns={props.view.columns}
            value={rule.columns[0] ?? ''}
          />
        </span>
      </div>
      <details open={['join', 'split', 'pattern', 'fixed'].includes(rule.mode)}>
        <summary>
          Réglages<span class="visually-hidden"> de « {label} »</span> : colonnes jointes, découpage, valeur
          fixe
        </summary>
        <div class="mapping-more">
          {Array.from({ length: JOIN_SLOTS - 1 }, (_, i) => (
            <span>
              <ColumnSelect
                id={id(`col${i + 2}`)}
                name={`col${i + 2}.${f}`}
                label={`Colonne jointe n° ${i + 2}`}
                columns={props.view.columns}
                value={rule.columns[i + 1] ?? ''}
              />
            </span>
          ))}
          <span>
            <label for={id('sep')}>Séparateur (jointure ou découpage)</label>
            <input
              id={id('sep')}
              name={`sep.${f}`}
              type="text"
              maxlength={10}
              size={4}
              value={rule.separator}
            />
          </span>
          <span>
            <label for={id('part')}>Partie à garder (1 = la première, -1 = la dernière)</label>
            <input
              id={id('part')}
              name={`part.${f}`}
              type="text"
              inputmode="numeric"
              maxlength={3}
              size={4}
              value={rule.part}
            />
          </span>
          <span>
            <label for={id('pattern')}>Motif (expression régulière)</label>
            <input
              id={id('pattern')}
              name={`pattern.${f}`}
              type="text"
              maxlength={200}
              value={rule.pattern}
            />
          </span>
          <span>
            <label for={id('value')}>Valeur fixe</label>
            <input id={id('value')} name={`value.${f}`} type="text" maxlength={200} value={rule.value} />
          </span>
        </div>
      </details>
    </fieldset>
  );
}

function ValueChoice(props: {
  id: string;
  name: string;
  label: string;
  field: SchemaField;
  value: string;
  first: boolean;
}) {
  const options = LIST_FIELD_VALUES[props.field] ?? [];
  return (
    <span>
      <label for={props.id} class="visually-hidden">
        {props.label}
      </label>
      <select id={props.id} name={props.name}>
        {props.first ? (
          <>
            <option value={UNTRANSLATED} selected={props.value === UNTRANSLATED}>
              — non traduit (signalé) —
            </option>
            <option value="" selected={props.value === ''}>
              — ignorer ce mot —
            </option>
          </>
        ) : (
          <option value="" selected={props.value === ''}>
            — rien de plus —
          </option>
        )}
        {options.map(([v, l]) => (
          <option value={v} selected={v === props.value}>
            {l}
          </option>
        ))}
      </select>
    </span>
  );
}

function ValueLists({ view }: { view: MappingView }) {
  const lists = view.values.filter((v) => v.words.length > 0 && LIST_FIELD_VALUES[v.field]);
  if (lists.length === 0) return null;
  return (
    <section aria-labelledby="valeurs">
      <h2 id="valeurs">Les mots du fichier et les valeurs du schéma</h2>
      <p>
        Pour chaque mot trouvé dans les colonnes choisies, indiquez la valeur du schéma national qui lui
        correspond (deux au plus ici ; davantage dans un fichier de correspondance JSON). Un mot non traduit
        est signalé à l'import ; un mot ignoré ne donne rien.
      </p>
      {lists.map((list) => (
        <fieldset class="mapping-values">
          <legend>
            {FIELD_LABELS[list.field]} ({list.words.length} mot{list.words.length > 1 ? 's' : ''})
          </legend>
          {list.more > 0 ? (
            <p>
              Les {list.words.length} mots les plus fréquents sont montrés ici ;{' '}
              {plural(list.more, 'autre mot', 'autres mots')} restent non traduits, sauf dans un fichier de
              correspondance JSON (à déposer avec le fichier).
            </p>
          ) : null}
          <ul>
            {list.words.map((w, n) => {
              const mapped = w.mappedTo;
              const first = mapped === null ? UNTRANSLATED : (mapped[0] ?? '');
              const label = `« ${w.word} » (${plural(w.count, 'fois', 'fois')})`;
              return (
                <li>
                  <input type="hidden" name={`word.${list.field}.${n}`} value={w.word} />
                  <span class="mapping-word" id={`mot-${list.field}-${n}`}>
                    {label}
                  </span>
                  <ValueChoice
                    id={`val-${list.field}-${n}`}
                    name={`val.${list.field}.${n}`}
                    label={`${label} : valeur de « ${FIELD_LABELS[list.field]} »`}
                    field={list.field}
                    value={first}
                    first
                  />
                  <ValueChoice
                    id={`val2-${list.field}-${n}`}
                    name={`val.${list.field}.${n}`}
                    label={`${label} : seconde valeur de « ${FIELD_LABELS[list.field]} »`}
                    field={list.field}
                    value={mapped?.[1] ?? ''}
                    first={false}
                  />
                </li>
              );
            })}
          </ul>
        </fieldset>
      ))}
    </section>
  );
}

/**
 * Rules of a mapping that this form does not edit (read from a JSON file, e.g. the national transformer's
 * hours by day and "contains" rules): named, and kept as they are when the form is saved.
 */
function KeptRules({ mapping }: { mapping: MappingView['mapping'] }) {
  const lines: string[] = [];
  const h = mapping.hours;
  if (h?.osm) lines.push(`Horaires au format OpenStreetMap : colonne « ${h.osm} »`);
  if (h?.text) lines.push(`Horaires écrits en mots : colonne « ${h.text} »`);
  if (h?.days) lines.push(`Horaires jour par jour : ${Object.keys(h.days).length} jours, une colonne chacun`);
  if (h?.weekParity) lines.push(`Semaines paires ou impaires : colonne « ${h.weekParity} »`);
  for (const [field, rules] of Object.entries(mapping.contains ?? {}))
    if (rules && rules.length > 0)
      lines.push(
        `${FIELD_LABELS[field as SchemaField] ?? field} : ${plural(rules.length, 'règle', 'règles')} « la colonne contient tel mot »`,
      );
  if (lines.length === 0) return null;
  return (
    <section aria-labelledby="regles-gardees">
      <h2 id="regles-gardees">Règles venues du fichier de correspondance</h2>
      <p>
        Cette page ne les modifie pas : elles sont gardées telles quelles. Pour les changer, modifiez le
        fichier JSON.
      </p>
      <ul>
        {lines.map((l) => (
          <li>{l}</li>
        ))}
      </ul>
    </section>
  );
}

export function MappingPage(props: {
  ctx: PageContext;
  csrf: string;
  view: MappingView;
  problems?: readonly { field: string | null; message: string }[] | undefined;
}) {
  const v = props.view;
  const problems = props.problems ?? [];
  const byField = new Map<string, string>();
  for (const p of problems) if (p.field && !byField.has(p.field)) byField.set(p.field, p.message);
  const title = `Correspondance des colonnes de ${v.upload.fileName}`;
  const required = new Set<string>(REQUIRED_COLUMNS);
  const others = SCHEMA_FIELDS.filter((f) => !required.has(f));
  const unmapped = REQUIRED_COLUMNS.filter((f) => (v.mapping.fields[f]?.kind ?? 'none') === 'none');
  return (
    <Layout title={problems.length > 0 ? `Erreur : ${title}` : title} ctx={props.ctx}>
      <p>
        <a href={`/imports/envoi/${v.upload.id}`}>Retour à l'import</a>
      </p>
      <h1>{title}</h1>
      <ErrorSummary
        items={problems.map((p) =>
          p.field && (SCHEMA_FIELDS as readonly string[]).includes(p.field)
            ? { href: `#champ-${p.field}`, message: p.message }
            : { message: p.message },
        )}
        autofocus
      />
      {unmapped.length > 0 ? (
        <p>
          Ce fichier n'est pas au schéma national. Il reste à indiquer d'où viennent :{' '}
          <strong>{unmapped.map((m) => FIELD_LABELS[m]).join(', ')}</strong>.
        </p>
      ) : (
        <p>Chaque champ obligatoire a une colonne : vérifiez-les, puis les autres champs.</p>
      )}
      <p>
        {v.origin === 'saved'
          ? 'La correspondance enregistrée pour cette source est reprise : vérifiez-la.'
          : v.origin === 'suggested'
            ? 'Les colonnes dont le nom ressemble à un champ du schéma sont déjà choisies : vérifiez-les.'
            : null}{' '}
        Le fichier a {plural(v.columns.length, 'colonne', 'colonnes')}.{' '}
        <a href={`/imports/envoi/${v.upload.id}/correspondance.json`}>
          Télécharger cette correspondance (JSON)
        </a>{' '}
        pour l'utiliser avec la commande <code>places import --mapping</code>.
      </p>
      <KeptRules mapping={v.mapping} />
      {v.sample.length > 0 ? (
        <details>
          <summary>Voir les premières lignes du fichier</summary>
          <section class="table-scroll" aria-label="Premières lignes du fichier" tabindex={0}>
            <table>
              <thead>
                <tr>
                  {v.columns.map((c) => (
                    <th scope="col">{c}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {v.sample.map((row) => (
                  <tr>
                    {v.columns.map((c) => (
                      <td>{row[c]}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </details>
      ) : null}
      <form method="post" action={`/imports/envoi/${v.upload.id}/correspondance`}>
        <Csrf token={props.csrf} />
        <h2>Les champs obligatoires</h2>
        <p>
          Sans nom, adresse, commune ou code postal, un lieu est refusé. Sans identifiant, le numéro de ligne
          en tient lieu : à éviter, car l'ordre du fichier peut changer d'un mois à l'autre.
        </p>
        {REQUIRED_COLUMNS.map((f) => (
          <FieldRule field={f} view={v} problem={byField.get(f)} />
        ))}
        <h2>Les autres champs</h2>
        <p>
          Choisissez ceux que le fichier contient. La position (latitude et longitude) évite de placer le lieu
          au centre de sa commune.
        </p>
        {others.map((f) => (
          <FieldRule field={f} view={v} problem={byField.get(f)} />
        ))}
        <ValueLists view={v} />
        <div class="actions">
          <button type="submit" name="action" value="verifier">
            Enregistrer et vérifier le fichier
          </button>{' '}
          <button type="submit" name="action" value="valeurs" class="secondary">
            Mettre à jour la liste des mots
          </button>
        </div>
      </form>
    </Layout>
  );
}
