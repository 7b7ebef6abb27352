import { canonicalEnumValue, toList } from './places-cells.ts';
import { MESSAGES } from './places-row-messages.ts';
import type { IssueSink, RowReader } from './places-row-reader.ts';
import {
  findV0Value,
  V0_FIELD_LABELS,
  V0_LIST_FIELD_TARGETS,
  V0_VALUE_MAPPING,
  type V0ListField,
  type V0ValueMatch,
} from './places-v0.ts';
import type { SchemaField } from './schema-fields.ts';
import {
  DISPOSITIFS,
  FORMATIONS_LABELS,
  FRAIS,
  ITINERANCE,
  MODALITES_ACCES,
  MODALITES_ACCOMPAGNEMENT,
  PRISE_EN_CHARGE,
  PUBLICS,
  SERVICES,
  TYPOLOGIES,
} from './schema-values.ts';

/**
 * The enumerated lists of an imported row (services, publics, frais…), written the v1 way, the v0 way or
 * both: each value found in the schema's list, mapped from v0, moved to the other formations or kept in
 * the detailed presentation, and warned about.
 */

/** Multi-valued fields constrained by an enumeration, with their values. */
export const ENUM_FIELDS = {
  typologie: TYPOLOGIES,
  itinerance: ITINERANCE,
  services: SERVICES,
  publics_specifiquement_adresses: PUBLICS,
  prise_en_charge_specifique: PRISE_EN_CHARGE,
  frais_a_charge: FRAIS,
  dispositif_programmes_nationaux: DISPOSITIFS,
  formations_labels: FORMATIONS_LABELS,
  modalites_acces: MODALITES_ACCES,
  modalites_accompagnement: MODALITES_ACCOMPAGNEMENT,
} as const satisfies Partial<Record<SchemaField, readonly string[]>>;

export type EnumField = keyof typeof ENUM_FIELDS;
const ENUM_FIELD_NAMES = Object.keys(ENUM_FIELDS) as EnumField[];

/**
 * Listed values are joined with `|` (the schema), but the schema's own README says `;` and producers follow
 * either: no listed value contains one or the other.
 */
// Line breaks separate list values too: other tools join a list with them inside one cell.
const ENUM_SEPARATORS = /[|;\r\n]/;

/** The v0 list keys v1 no longer has; `services` and `modalites_accompagnement` kept their name. */
const V0_ONLY_LIST_FIELDS = ['publics_accueillis', 'conditions_acces', 'labels_nationaux'] as const;

function isV0ListField(field: string): field is V0ListField {
  return Object.hasOwn(V0_VALUE_MAPPING, field);
}

interface ListFields {
  values: Record<EnumField, string[]>;
  otherLabels: string[];
  /** v0 values with no v1 equivalent, by v0 field, for the detailed presentation. */
  keptInDetail: Map<V0ListField, string[]>;
}

/** Appends `item` unless already there (lists keep their first order, without repeats). */
function addOnce<T>(items: T[], item: T): void {
  if (!items.includes(item)) items.push(item);
}

/** A v0 value's destination applied to the lists being read, warned about under the column it came from. */
function applyV0Value(
  lists: ListFields,
  sink: IssueSink,
  column: string,
  item: string,
  match: V0ValueMatch,
): void {
  const target = match.target;
  if ('kept' in target) {
    if (target.kept === 'autres_formations_labels') {
      addOnce(lists.otherLabels, match.value);
      sink.warn(column, item, MESSAGES.v0KeptInOtherLabels(column, item));
    } else {
      const kept = lists.keptInDetail.get(match.field) ?? [];
      addOnce(kept, match.value);
      lists.keptInDetail.set(match.field, kept);
      sink.warn(column, item, MESSAGES.v0KeptInDetail(column, item));
    }
    return;
  }
  for (const value of target.values) addOnce(lists.values[target.field], value);
  sink.warn(column, item, MESSAGES.v0ValueMapped(column, item, target.field, target.values));
}

/**
 * The enumerated lists, field by field, whether the row writes them the v1 way, the v0 way, or mixes both:
 * every value is looked up in v1 first, then in the v0 mapping (which may send it to another field), and
 * each value changed or moved is warned about, naming the column it was read in.
 */
export function readListFields(reader: RowReader): ListFields {
  const raw = reader.raw;
  const lists: ListFields = {
    values: {
      typologie: [],
      itinerance: [],
      services: [],
      publics_specifiquement_adresses: [],
      prise_en_charge_specifique: [],
      frais_a_charge: [],
      dispositif_programmes_nationaux: [],
      formations_labels: [],
      modalites_acces: [],
      modalites_accompagnement: [],
    },
    otherLabels: reader.list('autres_formations_labels', ENUM_SEPARATORS),
    keptInDetail: new Map<V0ListField, string[]>(),
  };
  const { values, otherLabels, keptInDetail } = lists;

  for (const field of ENUM_FIELD_NAMES) {
    for (const item of reader.list(field, ENUM_SEPARATORS)) {
      const canonical = canonicalEnumValue(ENUM_FIELDS[field], item);
      if (canonical !== null) {
        addOnce(values[field], canonical);
        continue;
      }
      const match = findV0Value(item, isV0ListField(field) ? field : undefined);
      if (match !== null) applyV0Value(lists, reader, field, item, match);
      else if (field === 'formations_labels') {
        // Unknown formations are kept as "other formations": the schema itself says to use that field for them.
        addOnce(otherLabels, item);
        reader.warn(field, item, MESSAGES.labelMoved(item));
      } else reader.warn(field, item, MESSAGES.enumUnknown(field, item, ENUM_FIELDS[field]));
    }
  }

  for (const v0Field of V0_ONLY_LIST_FIELDS) {
    if (raw[v0Field] === undefined || raw[v0Field] === null) continue;
    const { items, structured } = toList(raw[v0Field], ENUM_SEPARATORS);
    if (structured) reader.warn(v0Field, raw[v0Field], MESSAGES.v0StructuredValue(v0Field));
    for (const item of items) {
      const match = findV0Value(item, v0Field);
      if (match !== null) {
        applyV0Value(lists, reader, v0Field, item, match);
        continue;
      }
      // A v1 value under the v0 key (mixed files): moved to its v1 field.
      const target = V0_LIST_FIELD_TARGETS[v0Field]
        .map((field) => ({ field, canonical: canonicalEnumValue(ENUM_FIELDS[field], item) }))
        .find((candidate) => candidate.canonical !== null);
      if (target?.canonical != null) {
        addOnce(values[target.field], target.canonical);
        reader.warn(v0Field, item, MESSAGES.v0ValueMapped(v0Field, item, target.field, [target.canonical]));
      } else if (v0Field === 'labels_nationaux') {
        addOnce(otherLabels, item);
        reader.warn(v0Field, item, MESSAGES.v0KeptInOtherLabels(v0Field, item));
      } else {
        const kept = keptInDetail.get(v0Field) ?? [];
        addOnce(kept, item);
        keptInDetail.set(v0Field, kept);
        reader.warn(v0Field, item, MESSAGES.v0KeptInDetail(v0Field, item));
      }
    }
  }
  return lists;
}

/** The detailed presentation followed by the v0 values v1 cannot hold, one line per v0 field. */
export function withKeptV0Values(detail: string | null, kept: Map<V0ListField, string[]>): string | null {
  if (kept.size === 0) return detail;
  const lines = [...kept].map(([field, values]) => `${V0_FIELD_LABELS[field]} : ${values.join(', ')}.`);
  const block = lines.join('\n');
  if (detail === null) return block;
  // Re-importing our own export must not repeat the lines.
  return detail.includes(block) ? detail : `${detail}\n\n${block}`;
}
