import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getCommune } from '../communes/communes.ts';
import { demoCommunePoints } from '../demo/demo.service.ts';
import { SheetMap, sheetMapWords } from './sheet-map.views.tsx';

/** The demonstration's outlines, as the sheet's service would give them. */
const OUTLINES = demoCommunePoints().flatMap((p) =>
  p.geometry
    ? [{ code: p.code, nom: p.nom, population: getCommune(p.code)?.population ?? 0, geometry: p.geometry }]
    : [],
);
const PLACE = { nom: 'Médiathèque de Saran', commune: 'Saran', lat: 47.95006, lon: 1.87609 };

describe('the map of the fiche de liaison', () => {
  it('joins the start and the place by a straight line with its length written on it', () => {
    const origin = { label: 'CCAS d’Orléans', lat: 47.90268, lon: 1.90527 };
    const html = String(<SheetMap place={PLACE} origin={origin} outlines={OUTLINES} />);
    assert.match(html, /role="img" aria-labelledby="fiche-plan-titre fiche-plan-desc"/);
    assert.match(html, /stroke-dasharray="8 5"/);
    // The great-circle distance between the two points (≈ 5.7 km), written on the line and said in words.
    const r = Math.PI / 180;
    const h =
      Math.sin(((PLACE.lat - origin.lat) * r) / 2) ** 2 +
      Math.cos(origin.lat * r) * Math.cos(PLACE.lat * r) * Math.sin(((PLACE.lon - origin.lon) * r) / 2) ** 2;
    const km = (2 * 6371 * Math.asin(Math.sqrt(h))).toFixed(1).replace('.', ',');
    assert.ok(km === '5,7', km);
    assert.ok(html.includes(`>${km} km</text>`));
    assert.match(
      sheetMapWords({ place: PLACE, origin, outlines: OUTLINES }),
      /à 5,7 km à vol d’oiseau de CCAS d’Orléans/,
    );
    assert.match(html, />Saran<\/text>/);
    assert.match(html, />Départ : CCAS d’Orléans<\/text>/);
    assert.match(html, /Licence Ouverte 2\.0/);
  });

  it('without a known start, shows the place in its commune and says so', () => {
    const html = String(<SheetMap place={PLACE} origin={null} outlines={OUTLINES} />);
    assert.doesNotMatch(html, /stroke-dasharray/);
    assert.match(
      html,
      /Nous ne connaissons pas votre point de départ : la carte montre le lieu Médiathèque de Saran dans sa commune, Saran\./,
    );
    assert.match(html, /<g class="communes"><path d="M/);
    assert.match(html, />Saran<\/text>/);
  });

  it('still draws the place, a scale and the north when no outline is loaded', () => {
    const html = String(<SheetMap place={PLACE} origin={null} outlines={[]} />);
    assert.doesNotMatch(html, /class="communes"/);
    assert.match(html, /<circle /);
    assert.match(html, />N<\/text>/);
    assert.match(html, /\d+ m<\/text>|\d+ km<\/text>/);
  });
});
