import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axisLines, BarChart, ColumnChart, formatChartValue } from './charts.tsx';

test('a bar chart is an image named by its title and described by its largest value, followed by its table', async () => {
  const html = String(
    await (
      <BarChart
        title="Pass utilisés par lieu"
        head="Lieu"
        valueHead="Pass"
        rows={[
          { label: 'Médiathèque', value: 12 },
          { label: 'Centre social', value: 30 },
          { label: 'Zéro', value: 0 },
        ]}
        total
      />
    ),
  );
  const labelled = html.match(/aria-labelledby="([^"]+)"/)?.[1]?.split(' ') ?? [];
  assert.equal(labelled.length, 2);
  assert.match(html, new RegExp(`<title id="${labelled[0]}">Pass utilisés par lieu</title>`));
  assert.match(
    html,
    new RegExp(`<desc id="${labelled[1]}">3 valeurs, total 42. La plus grande : Centre social, 30.</desc>`),
  );
  assert.match(html, /role="img"/);
  assert.match(html, /<caption>Pass utilisés par lieu<\/caption>/);
  assert.match(html, /<th scope="row">Centre social<\/th><td>30<\/td>/);
  assert.match(html, /<tfoot><tr><th scope="row">Total<\/th><td>42<\/td>/);
  assert.doesNotMatch(html, /style=/, 'no inline style: the CSP forbids it');
  // The longest bar is the largest value; a zero draws nothing.
  const widths = [...html.matchAll(/<rect x="220" y="\d+" width="(\d+)"/g)].map((m) => Number(m[1]));
  assert.deepEqual(widths, [144, 360, 0]);
});

test('a column chart over months has one column per month and unique ids per chart', async () => {
  const rows = [
    { label: 'janv.', value: 1000.5 },
    { label: 'févr.', value: 0 },
  ];
  const a = String(
    await (<ColumnChart title="Montants" head="Mois" valueHead="Euros" rows={rows} unit="euros" />),
  );
  const b = String(
    await (<ColumnChart title="Montants" head="Mois" valueHead="Euros" rows={rows} unit="euros" />),
  );
  assert.notEqual(a.match(/<title id="([^"]+)"/)?.[1], b.match(/<title id="([^"]+)"/)?.[1]);
  assert.equal([...a.matchAll(/<rect /g)].length, 2);
  assert.match(a, /1\u202f000,50\u00a0€|1\s000,50\s€/u);
});

test("a column's label goes on two lines rather than being cut, and a row may give its own abbreviation", async () => {
  assert.deepEqual(axisLines('mai 2026'), ['mai 2026']);
  assert.deepEqual(axisLines('janv. 2026'), ['janv.', '2026']);
  assert.deepEqual(axisLines('1er trimestre 2026'), ['1er tri…', '2026']);
  assert.deepEqual(axisLines('Médiathèque'), ['Médiath…']);
  assert.deepEqual(axisLines('mai 2026', true), ['mai', '2026'], 'as its neighbours');
  const html = String(
    await (
      <ColumnChart
        title="Accompagnements dans le temps"
        head="Période"
        valueHead="Accompagnements"
        rows={[
          { label: 'mai 2026', value: 2 },
          { label: 'sept. 2026', value: 3 },
          { label: '1er trimestre 2026', value: 4, short: 'T1 2026' },
        ]}
      />
    ),
  );
  assert.match(html, /<tspan x="[\d.]+" dy="0">sept\.<\/tspan><tspan x="[\d.]+" dy="15">2026<\/tspan>/);
  assert.match(html, /<tspan x="[\d.]+" dy="0">mai<\/tspan><tspan x="[\d.]+" dy="15">2026<\/tspan>/);
  assert.match(html, /<tspan x="[\d.]+" dy="0">T1<\/tspan><tspan x="[\d.]+" dy="15">2026<\/tspan>/);
  // The table keeps the whole labels.
  assert.match(html, /<th scope="row">1er trimestre 2026<\/th>/);
  assert.doesNotMatch(html, /…/);
});

test('an empty chart says there is no data', async () => {
  const html = String(await (<BarChart title="Vide" head="Lieu" valueHead="Pass" rows={[]} />));
  assert.match(html, /<desc id="[^"]+">Aucune donnée.<\/desc>/);
});

test('values are written the French way', () => {
  assert.equal(formatChartValue(12), '12');
  assert.equal(formatChartValue(12.5, 'percent'), '12,5 %');
  assert.match(formatChartValue(1234.5, 'euros'), /^1\s?234,50 €$/u);
});
