import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getCommune } from '../communes/communes.ts';
import { demoCommunePoints } from '../demo/demo.service.ts';
import type { Place } from '../places/places.service.ts';
import type { PageContext } from '../web/layout.tsx';
import { PlaceSheetPage } from './place-sheet.views.tsx';

const ctx = (falc: boolean): PageContext => ({
  networkContact: { phone: '0261910000', email: null, hours: null },
  demo: false,
  prefs: { largeText: false, highContrast: false, spacing: false, falc },
});

const place: Place = {
  id: '00000000-0000-4000-8000-000000000001',
  source: 'test',
  updatedAt: new Date(0),
  sourceId: 'x',
  pivot: '00000000000000',
  nom: 'Mairie de Test',
  commune: 'Orléans',
  codePostal: '45000',
  codeInsee: '45234',
  adresse: '1 place de la Mairie',
  complementAdresse: null,
  latitude: 47.9,
  longitude: 1.9,
  positionApproximate: false,
  typologie: ['CCAS'],
  telephone: '+33261910101',
  courriels: [],
  siteWeb: [],
  horaires: 'Mo-Fr 08:30-12:00',
  presentationResume: null,
  presentationDetail: null,
  itinerance: ['Fixe'],
  structureParente: null,
  dateMaj: null,
  services: [],
  publicsSpecifiquementAdresses: [],
  priseEnChargeSpecifique: [],
  fraisACharge: ['Payant'],
  dispositifProgrammesNationaux: [],
  formationsLabels: [],
  autresFormationsLabels: [],
  modalitesAcces: ['Téléphoner'],
  modalitesAccompagnement: ['En autonomie', 'À distance'],
  ficheAccesLibre: 'https://acceslibre.beta.gouv.fr/app/45-orleans/a/mairie/erp/mairie-test/',
  priseRdv: null,
};

const render = (falc: boolean, routePlanner: string | null = null) =>
  String(
    <PlaceSheetPage
      ctx={ctx(falc)}
      place={place}
      status={{ openNow: null, today: null, nextOpening: null, saturday: null }}
      publicUrl="https://maillage.example.org"
      routePlanner={routePlanner}
    />,
  );

describe("a place's sheet in plain words", () => {
  it('links the Accès libre sheet when the data has one, and says what happens there', () => {
    const html = render(false);
    assert.match(
      html,
      /Entrée de plain-pied, marches, toilettes : <a href="https:\/\/acceslibre\.beta\.gouv\.fr\/app\/45-orleans\/a\/mairie\/erp\/mairie-test\/">voir la fiche Accès libre de Mairie de Test<\/a>/,
    );
    assert.match(html, /<p class="meta">CCAS<\/p>/);
    assert.match(html, /<p>Appelez avant de venir\.<\/p>/);
    assert.match(html, /<p>On vous montre, vous faites vous-même\.<\/p>/);
    assert.match(html, /<p>On peut vous aider à distance, par téléphone ou en vidéo\.<\/p>/);
    assert.match(html, /<a href="geo:47\.9,1\.9">Ouvrir Mairie de Test dans l’application de plans/);
    assert.doesNotMatch(html, /itinéraire/);
    const falc = render(true);
    assert.match(
      falc,
      /Pour savoir si vous pouvez entrer en fauteuil roulant : <a href="https:\/\/acceslibre/,
    );
    assert.match(falc, /<p class="meta">Service social de la mairie<\/p>/);
    assert.match(falc, /<p>Une personne vous montre\. Puis vous faites seul\.<\/p>/);
  });

  it('offers the route planner configured, with the place as its destination', () => {
    const html = render(false, 'https://itineraire.example.org/route?to={lat},{lon}&mode=tc');
    assert.match(
      html,
      /<a href="https:\/\/itineraire\.example\.org\/route\?to=47\.9,1\.9&amp;mode=tc">Calculer l’itinéraire jusqu’à Mairie de Test<\/a>/,
    );
  });

  it('keeps scripted or very long text inert, and keeps the QR code away when the address is too long for it', () => {
    const html = String(
      <PlaceSheetPage
        ctx={ctx(false)}
        place={{
          ...place,
          nom: '<script>alert(1)</script>',
          presentationDetail: `${'Très long texte. '.repeat(500)}<img src=x onerror=alert(1)> 9 h 30 – 12 h`,
        }}
        status={{ openNow: null, today: null, nextOpening: null, saturday: null }}
        publicUrl={`https://maillage.example.org/${'x'.repeat(200)}`}
      />,
    );
    assert.doesNotMatch(html, /<script>alert|<img src=x/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /9\u00a0h\u00a030\u00a0–\u00a012\u00a0h/);
    assert.doesNotMatch(html, /class="qr"/, 'no QR code for an address it cannot hold');
  });

  it('draws a map of the place in its commune, said in words (address, commune), only when it has a position', () => {
    // The demonstration's outlines, as mapOutlines gives them from commune_geometry.
    const outlines = demoCommunePoints().flatMap((c) =>
      c.geometry
        ? [
            {
              code: c.code,
              nom: c.nom,
              population: getCommune(c.code)?.population ?? 0,
              geometry: c.geometry,
            },
          ]
        : [],
    );
    const located = { ...place, latitude: 47.90268, longitude: 1.90527 };
    const status = { openNow: null, today: null, nextOpening: null, saturday: null };
    const sheet = (p: Place, falc: boolean, withOutlines = outlines) =>
      String(
        <PlaceSheetPage
          ctx={ctx(falc)}
          place={p}
          status={status}
          publicUrl="https://maillage.example.org"
          outlines={withOutlines}
        />,
      );
    const html = sheet(located, false);
    assert.match(html, /<svg [^>]*role="img" aria-labelledby="lieu-plan-titre lieu-plan-desc"/);
    assert.match(html, /<title id="lieu-plan-titre">Plan : où se trouve Mairie de Test<\/title>/);
    const words =
      'Mairie de Test se trouve à l’adresse 1 place de la Mairie, 45000 Orléans. Le plan montre le lieu dans sa commune, Orléans, et les communes autour.';
    assert.ok(html.includes(`<desc id="lieu-plan-desc">${words}</desc>`));
    assert.ok(html.includes(`<figcaption>${words}</figcaption>`));
    assert.doesNotMatch(html, /point de départ/);
    // One path for every outline, the names, a scale, the north and the source of the outlines.
    assert.equal((html.match(/<g class="communes"><path /g) ?? []).length, 1);
    assert.match(html, />Orléans<\/text>/);
    assert.match(html, />Saint-Jean-de-Braye<\/text>/, 'a neighbour is named');
    assert.match(html, />N<\/text>/);
    assert.match(html, />\d+ k?m<\/text>/);
    assert.match(html, /IGN Admin Express, Licence Ouverte 2\.0/);
    const falc = sheet(located, true);
    assert.match(falc, /<title id="lieu-plan-titre">Plan : où est Mairie de Test<\/title>/);
    assert.match(falc, /L’adresse de Mairie de Test est : 1 place de la Mairie, 45000 Orléans\./);
    // No position, or no outline loaded: no map at all, never an empty frame.
    assert.doesNotMatch(sheet({ ...located, latitude: null, longitude: null }, false), /lieu-plan|<figure/);
    assert.doesNotMatch(sheet(located, false, []), /lieu-plan|<figure/);
  });
});
