import { MODALITES_ACCOMPAGNEMENT, PRISE_EN_CHARGE, PUBLICS, SERVICES } from '../places/places.ts';

/** The national schema's values that the search filters on (re-exported for the search domain). */
export const SERVICE_VALUES: readonly string[] = SERVICES;
export const PUBLIC_VALUES: readonly string[] = PUBLICS;
export const SUPPORT_VALUES: readonly string[] = PRISE_EN_CHARGE;
export const ACCOMPANIMENT_VALUES: readonly string[] = MODALITES_ACCOMPAGNEMENT;
