import type { ColumnType, Generated, JSONColumnType, Kysely } from 'kysely';

/**
 * Row types of every table, beside the SQL that creates them (migrations/*.sql). Keep the two in step.
 * db/ imports no domain: domains map these rows to their own types.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export interface StructureTable {
  id: Generated<string>;
  pivot: string;
  nom: string;
  typologie: TextArray;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PlaceTable {
  id: Generated<string>;
  source: string;
  source_id: string;
  structure_id: string | null;
  pivot: string;
  nom: string;
  commune: string;
  code_postal: string;
  code_insee: string | null;
  adresse: string;
  complement_adresse: string | null;
  latitude: number | null;
  longitude: number | null;
  position_approximate: ColumnType<boolean, boolean | undefined, boolean>;
  typologie: TextArray;
  telephone: string | null;
  courriels: TextArray;
  site_web: TextArray;
  horaires: string | null;
  presentation_resume: string | null;
  presentation_detail: string | null;
  itinerance: TextArray;
  structure_parente: string | null;
  /** 'YYYY-MM-DD' (the date parser is set to keep the text). */
  date_maj: string | null;
  services: TextArray;
  publics_specifiquement_adresses: TextArray;
  prise_en_charge_specifique: TextArray;
  frais_a_charge: TextArray;
  dispositif_programmes_nationaux: TextArray;
  formations_labels: TextArray;
  autres_formations_labels: TextArray;
  modalites_acces: TextArray;
  modalites_accompagnement: TextArray;
  fiche_acces_libre: string | null;
  prise_rdv: string | null;
  content_hash: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CommuneGeometryTable {
  code: string;
  ref_lat: number;
  ref_lon: number;
  ref_method: 'centre' | 'centre_geoapi' | 'interior_point' | 'demo';
  geometry: ColumnType<unknown, string | null | undefined, string | null>;
  source_file: string | null;
  imported_at: Timestamp;
}

export interface PlaceImportTable {
  id: Generated<string>;
  started_at: Timestamp;
  actor: string;
  file_name: string | null;
  file_sha256: string | null;
  source: string | null;
  dry_run: ColumnType<boolean, boolean | undefined, boolean>;
  counts: JSONColumnType<Record<string, number>>;
  report: ColumnType<unknown, string, string>;
}

export interface SchemaMigrationTable {
  name: string;
  checksum: string;
  applied_at: Timestamp;
}

export interface AppSettingTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: Timestamp;
}

export interface Database {
  app_setting: AppSettingTable;
  structure: StructureTable;
  place: PlaceTable;
  commune_geometry: CommuneGeometryTable;
  place_import: PlaceImportTable;
  schema_migration: SchemaMigrationTable;
}

export type Db = Kysely<Database>;
