import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { cookieBrowser } from '../../test/support/cookie-browser.ts';
import { currentForm, demoPlaceApp, postedForm } from '../../test/support/place-edit-fixtures.ts';
import { closeTestTemplate } from '../../test/support/test-db.ts';
import { ACTION_LABELS, actionLabel, detailLines, subjectWords } from './audit.ts';

after(closeTestTemplate);

const SRC = path.resolve(import.meta.dirname, '..');

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(full, out);
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out;
}

/**
 * Every action code the source records: the literals of each `action:` property (ternaries included),
 * and the first literal given to a journaling helper such as the pass's `audit(tx, actor, 'voucher.…')`.
 */
function recordedActions(): Set<string> {
  const found = new Set<string>();
  for (const file of sourceFiles(SRC)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\baction:\s*([^\n]*(?:\n\s*[?:][^\n]*)*)/g))
      for (const literal of (m[1] ?? '').matchAll(/'([a-z_]+(?:\.[a-z_]+)+)'/g))
        found.add(literal[1] as string);
    for (const m of text.matchAll(/\baudit\([^()']*'([a-z_]+(?:\.[a-z_]+)+)'/g)) found.add(m[1] as string);
  }
  return found;
}

describe('the journal in French words', () => {
  it('has French words for every action the code records, and never shows a code', () => {
    const actions = recordedActions();
    assert.ok(actions.size > 30, `found ${actions.size} actions`);
    for (const a of [
      'place_change.approved',
      'error_report.forwarded',
      'place_import.completed',
      'voucher.statement_paid',
      'voucher.programme_expired',
    ])
      assert.ok(actions.has(a), `the scan finds ${a}`);
    const missing = [...actions].filter((a) => !(a in ACTION_LABELS));
    assert.deepEqual(missing, [], 'actions recorded without French words in ACTION_LABELS');
    assert.equal(actionLabel('something.new'), 'Autre action');
  });

  it('names subjects by kind and name, and details without identifiers', () => {
    assert.equal(
      subjectWords({ subjectType: 'place', subjectName: 'Médiathèque', details: {} }),
      'Lieu « Médiathèque »',
    );
    assert.equal(
      subjectWords({ subjectType: 'person', subjectName: null, details: {} }),
      'Un compte supprimé depuis',
    );
    assert.equal(
      subjectWords({ subjectType: 'voucher_programme', subjectName: 'Pass 2027', details: {} }),
      'Programme de pass « Pass 2027 »',
    );
    assert.equal(
      subjectWords({ subjectType: 'voucher_programme', subjectName: null, details: {} }),
      'Un programme de pass numérique',
    );
    assert.equal(
      subjectWords({ subjectType: 'place_import', subjectName: null, details: { fileName: 'lieux.csv' } }),
      'Import du fichier « lieux.csv »',
    );
    assert.deepEqual(
      detailLines({ changeId: '0b1c', how: 'password', secondFactor: false, imported: 3, rejected: 1 }),
      [
        'Comment : avec le mot de passe',
        'Sans double authentification',
        'Résultat : 3 lieux créés, 1 lignes refusées',
      ],
    );
  });

  it('shows sign-ins with and without the second factor, an import and a moderation by names', async () => {
    const { t, app, place } = await demoPlaceApp();
    try {
      // A structure's member signs in with a password only, the coordinator with the second factor.
      const staff = cookieBrowser(app);
      await staff.signIn('mediation.demo@example.org');
      const coordinator = cookieBrowser(app);
      await coordinator.signIn('coordination.demo@example.org');
      const signIns = await t.db
        .selectFrom('audit_log')
        .innerJoin('person', 'person.id', 'audit_log.actor_id')
        .select(['person.email', 'audit_log.details'])
        .where('audit_log.action', '=', 'sign_in.completed')
        .orderBy('audit_log.id')
        .execute();
      assert.deepEqual(
        signIns.map((s) => [s.email, s.details]),
        [
          ['mediation.demo@example.org', { how: 'password', secondFactor: false }],
          ['coordination.demo@example.org', { how: 'totp', secondFactor: true }],
        ],
      );

      const form = await currentForm(t, place.id);
      form.text.presentation_resume = 'Atelier numérique le jeudi.';
      const sent = await staff.request(`/lieux/${place.id}/modifier`, {
        form: postedForm(form, await staff.csrf(`/lieux/${place.id}/modifier`)),
      });
      assert.equal(sent.status, 303);

      const html = await (await coordinator.request('/journal')).text();
      const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
      assert.match(
        body,
        /<th scope="row">Modification d&#39;un lieu proposée<\/th><td>Sam \(médiation\)<br\/><span class="hint">mediation\.demo@example\.org<\/span><\/td><td>Lieu « Bibliothèque de Boigny-sur-Bionne »<\/td>/,
      );
      assert.match(
        body,
        /<th scope="row">Connexion réussie<\/th><td>Sam \(médiation\)[\s\S]*?Sans double authentification/,
      );
      assert.match(
        body,
        /<th scope="row">Connexion réussie<\/th><td>Camille \(coordination\)[\s\S]*?Avec la double authentification/,
      );
      assert.match(
        body,
        /<th scope="row">Import de lieux<\/th><td>ligne de commande<\/td><td>Import du fichier « demonstration »<\/td><td><ul><li>Résultat : \d+ lignes lues, \d+ lieux créés/,
      );
      // No code and no identifier anywhere in the table.
      assert.doesNotMatch(body, /place_change|sign_in|place_import|\b[0-9a-f]{8}-[0-9a-f]{4}-/);
      // The subject filter takes French words.
      const places = await (await coordinator.request('/journal?subject=lieu')).text();
      assert.match(places, /<h2>1 entrée<\/h2>/);
    } finally {
      await t.close();
    }
  });
});
