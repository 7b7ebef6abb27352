import type { CommuneOutline } from '../communes/basemap.tsx';
import { km, PlaceMap } from '../search/place-map.views.tsx';
import { straightLineKm } from '../search/search.ts';

/**
 * The referral sheet's map: where the person starts (the sending structure's place) and the place she
 * is sent to, the straight line between them with its length, over the communes' outlines and names.
 * Without a known start, the place in its commune's outline, and the words say so. Never an empty frame:
 * the caller shows it only when the place has a position.
 */
export interface SheetMapProps {
  place: { nom: string; commune: string; lat: number; lon: number };
  origin: { label: string; lat: number; lon: number } | null;
  outlines: readonly CommuneOutline[];
}

/** The sentence that says what the map shows (also the map's text alternative). */
export function sheetMapWords(props: SheetMapProps): string {
  if (props.origin)
    return `Le lieu ${props.place.nom} est à ${km(straightLineKm(props.origin, props.place))} km à vol d’oiseau de ${props.origin.label} (point de départ). La route est plus longue.`;
  return `Nous ne connaissons pas votre point de départ : la carte montre le lieu ${props.place.nom} dans sa commune, ${props.place.commune}.`;
}

export function SheetMap(props: SheetMapProps) {
  return <PlaceMap {...props} title="Plan pour aller au lieu" words={sheetMapWords(props)} id="fiche-plan" />;
}
