import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { closeTestTemplate, createTestDb, type TestDb } from '../../test/support/test-db.ts';
import type { Actor } from '../accounts/policy.ts';
import { purgePersonalData } from '../accounts/privacy.service.ts';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { isDomainError } from '../shared/domain-error.ts';
import {
  composeNetworkMessage,
  homeBlocks,
  listNetworkMessages,
  prepareNetworkMessage,
  purgeNetworkMessageRecipients,
  type SendResult,
  sendNetworkMessage,
  viewNetworkMessage,
} from './messages.service.ts';
import { EMPTY_FORM, MAX_RECIPIENTS, type MessageForm, reasonLine } from './messages.ts';

after(closeTestTemplate);

const NOW = new Date('2026-06-15T10:00:00Z');
const SETTINGS = {
  networkName: 'Réseau numérique du Loiret',
  publicUrl: 'https://maillage.example.org',
  replyTo: 'coordination@reseau.example.org',
  now: NOW,
};
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

interface Fixture {
  t: TestDb;
  coordinator: Actor;
  structures: Record<'media' | 'social' | 'empty' | 'asso', string>;
  persons: Record<'coord' | 'alice' | 'bob' | 'carol' | 'dave' | 'erin', string>;
}

/**
 * A small network: the Médiathèque (Orléans, library) with Alice (admin), Bob and Dave (staff, never
 * activated); the Centre social (Saran) with Carol (admin) and Alice (staff); an association in Orléans
 * with Erin (admin); a town hall without members.
 */
async function network(): Promise<Fixture> {
  const t = await createTestDb();
  const db = t.db;
  const structure = async (nom: string, pivot: string, typologie: string[]) =>
    (
      await db
        .insertInto('structure')
        .values({ nom, pivot, typologie })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const structures = {
    media: await structure('Médiathèque Madeleine', '21450234500011', ['BIB']),
    social: await structure('Centre social de Saran', '21450302100013', ['CS']),
    empty: await structure('Mairie sans membre', '21450001000019', ['MAIRIE']),
    asso: await structure('Association Clic', 'W452001234', ['ASSO']),
  };
  const place = async (structureId: string, nom: string, commune: string, code: string) =>
    db
      .insertInto('place')
      .values({
        source: 'test',
        source_id: nom,
        structure_id: structureId,
        pivot: '00000000000000',
        nom,
        commune,
        code_postal: '45000',
        code_insee: code,
        adresse: '1 rue du Test',
        content_hash: nom,
      })
      .execute();
  await place(structures.media, 'Médiathèque', 'Orléans', '45234');
  await place(structures.social, 'Centre social', 'Saran', '45302');
  await place(structures.asso, 'Local de Clic', 'Orléans', '45234');
  const person = async (email: string, name: string, activated = true, coordinator = false) =>
    (
      await db
        .insertInto('person')
        .values({
          email,
          display_name: name,
          password_hash: activated ? 'argon2-hash' : null,
          network_role: coordinator ? 'coordinator' : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const persons = {
    coord: await person('camille@reseau.example.org', 'Camille Martin', true, true),
    alice: await person('alice@example.org', 'Alice'),
    bob: await person('bob@example.org', 'Bob'),
    carol: await person('carol@example.org', 'Carol'),
    dave: await person('dave@example.org', 'Dave', false),
    erin: await person('erin@example.org', 'Erin'),
  };
  const member = (personId: string, structureId: string, role: 'structure_admin' | 'staff') =>
    db.insertInto('membership').values({ person_id: personId, structure_id: structureId, role }).execute();
  await member(persons.alice, structures.media, 'structure_admin');
  await member(persons.bob, structures.media, 'staff');
  await member(persons.dave, structures.media, 'staff');
  await member(persons.carol, structures.social, 'structure_admin');
  await member(persons.alice, structures.social, 'staff');
  await member(persons.erin, structures.asso, 'structure_admin');
  const coordinator: Actor = {
    kind: 'person',
    personId: persons.coord,
    networkRole: 'coordinator',
    memberships: [],
  };
  return { t, coordinator, structures, persons };
}

const form = (values: Partial<MessageForm>): MessageForm => ({
  ...EMPTY_FORM,
  subject: 'Réunion du réseau',
  body: 'Bonjour à toutes et à tous,\n\nLa prochaine réunion a lieu le 12 mars.',
  ...values,
});

/** Previews then sends, as the two pages do. */
async function send(f: Fixture, values: Partial<MessageForm>, actor = f.coordinator): Promise<SendResult> {
  const prepared = await prepareNetworkMessage(f.t.db, actor, form(values));
  assert.ok(prepared.ok, JSON.stringify(!prepared.ok && prepared.view.errors));
  return sendNetworkMessage(
    f.t.db,
    actor,
    {
      form: prepared.preview.values,
      token: prepared.preview.token,
      expectedRecipients: prepared.preview.audienceKey,
    },
    SETTINGS,
  );
}

const outbox = (db: Db) =>
  db
    .selectFrom('mail_outbox')
    .select(['to_address', 'subject', 'text_body', 'kind'])
    .where('kind', '=', 'network_message')
    .orderBy('to_address')
    .execute();

const count = async (db: Db, table: 'network_message' | 'network_message_recipient' | 'mail_outbox') =>
  Number((await db.selectFrom(table).select(db.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

describe('the audience of a message to the network', () => {
  it('reaches every activated member once, whatever the number of their structures, and counts those left out', async () => {
    const f = await network();
    try {
      const prepared = await prepareNetworkMessage(f.t.db, f.coordinator, form({ scope: 'network' }));
      assert.ok(prepared.ok);
      // Alice (two structures), Bob, Carol, Erin; Dave never chose a password.
      assert.equal(prepared.preview.recipients, 4);
      assert.equal(prepared.preview.excluded, 1);
      assert.deepEqual(
        prepared.preview.structures.map((s) => [s.name, s.recipients]),
        [
          ['Association Clic', 1],
          ['Centre social de Saran', 2],
          ['Médiathèque Madeleine', 2],
        ],
      );
      assert.equal(prepared.preview.audienceText, 'Les membres de toutes les structures du réseau');
      assert.equal(await count(f.t.db, 'network_message'), 0, 'a preview writes nothing');
    } finally {
      await f.t.close();
    }
  });

  it('reaches only administrators when asked, of every structure', async () => {
    const f = await network();
    try {
      const prepared = await prepareNetworkMessage(
        f.t.db,
        f.coordinator,
        form({ scope: 'network', role: 'admins' }),
      );
      assert.ok(prepared.ok);
      assert.equal(prepared.preview.recipients, 3, 'Alice, Carol, Erin');
      assert.equal(prepared.preview.excluded, 0);
      assert.match(prepared.preview.audienceText, /^Les administratrices et administrateurs de toutes/);
    } finally {
      await f.t.close();
    }
  });

  it('reaches the members of chosen structures, of a kind, or of a commune of their places', async () => {
    const f = await network();
    try {
      const chosen = await prepareNetworkMessage(
        f.t.db,
        f.coordinator,
        form({ scope: 'structures', structures: [f.structures.social, f.structures.media.toUpperCase()] }),
      );
      assert.ok(chosen.ok);
      assert.equal(chosen.preview.recipients, 3, 'Alice once, Bob, Carol');
      assert.equal(
        chosen.preview.audienceText,
        'Les membres des structures « Centre social de Saran » et « Médiathèque Madeleine »',
      );
      const kind = await prepareNetworkMessage(f.t.db, f.coordinator, form({ scope: 'kind', kind: 'CS' }));
      assert.ok(kind.ok);
      assert.equal(kind.preview.recipients, 2, 'Carol and Alice');
      const commune = await prepareNetworkMessage(
        f.t.db,
        f.coordinator,
        form({ scope: 'commune', commune: '45234' }),
      );
      assert.ok(commune.ok);
      assert.deepEqual(
        commune.preview.structures.map((s) => s.name),
        ['Association Clic', 'Médiathèque Madeleine'],
      );
      assert.equal(commune.preview.recipients, 3, 'Alice, Bob, Erin');
      assert.equal(commune.preview.audienceText, 'Les membres des structures qui ont un lieu à Orléans');
    } finally {
      await f.t.close();
    }
  });

  it('refuses bad input with French words naming the field, and unknown or empty choices by name', async () => {
    const f = await network();
    try {
      const errorsOf = async (values: Partial<MessageForm>) => {
        const r = await prepareNetworkMessage(f.t.db, f.coordinator, form(values));
        assert.ok(!r.ok, JSON.stringify(values));
        return r.view.errors;
      };
      assert.match((await errorsOf({ subject: '  ' })).subject ?? '', /^Objet : écrivez/);
      assert.match(
        (await errorsOf({ subject: 'x'.repeat(151) })).subject ?? '',
        /150 caractères au plus \(il en a 151\)/,
      );
      assert.match((await errorsOf({ body: '' })).body ?? '', /^Message : écrivez/);
      assert.match((await errorsOf({ body: 'x'.repeat(10_001) })).body ?? '', /10\s000 caractères au plus/);
      assert.match((await errorsOf({ scope: 'tout' })).scope ?? '', /^Destinataires : choisissez/);
      assert.match((await errorsOf({ role: 'chefs' })).role ?? '', /^Parmi leurs membres/);
      assert.match(
        (await errorsOf({ scope: 'structures' })).structures ?? '',
        /cochez au moins une structure/,
      );
      assert.match(
        (await errorsOf({ scope: 'structures', structures: ["1' or 1=1"] })).structures ?? '',
        /« 1' or 1=1 » n’est pas une structure de la liste/,
      );
      assert.match(
        (await errorsOf({ scope: 'structures', structures: [UNKNOWN] })).structures ?? '',
        /n’existe pas ou plus/,
      );
      assert.match(
        (await errorsOf({ scope: 'structures', structures: [f.structures.media, f.structures.empty] }))
          .structures ?? '',
        /« Mairie sans membre » n’a aucun membre avec un compte activé à qui écrire/,
      );
      assert.match(
        (await errorsOf({ scope: 'kind', kind: 'ZZZ' })).kind ?? '',
        /« ZZZ » n’est le type d’aucune structure/,
      );
      assert.match(
        (await errorsOf({ scope: 'kind', kind: 'MAIRIE' })).scope ?? '',
        /personne ne recevrait ce message/,
      );
      assert.match(
        (await errorsOf({ scope: 'commune', commune: '' })).commune ?? '',
        /^Commune : choisissez/,
      );
      assert.match((await errorsOf({ scope: 'commune', commune: '75056' })).commune ?? '', /« 75056 »/);
    } finally {
      await f.t.close();
    }
  });

  it(`refuses an audience beyond ${MAX_RECIPIENTS.toLocaleString('fr-FR')} people, saying how many`, async () => {
    const f = await network();
    try {
      await f.t.db
        .insertInto('person')
        .values(
          Array.from({ length: MAX_RECIPIENTS }, (_, k) => ({
            email: `p${k}@grand.example.org`,
            display_name: `P${k}`,
            password_hash: 'h',
          })),
        )
        .execute();
      await f.t.db
        .insertInto('membership')
        .columns(['person_id', 'structure_id', 'role'])
        .expression((eb) =>
          eb
            .selectFrom('person')
            .select(['person.id', eb.val(f.structures.empty).as('structure_id'), eb.val('staff').as('role')])
            .where('email', 'like', '%@grand.example.org'),
        )
        .execute();
      const r = await prepareNetworkMessage(f.t.db, f.coordinator, form({ scope: 'network' }));
      assert.ok(!r.ok);
      assert.match(
        r.view.errors.scope ?? '',
        /irait à 5\s004 personnes\. Un envoi va à 5\s000 personnes au plus/,
      );
    } finally {
      await f.t.close();
    }
  });
});

describe('sending a message to the network', () => {
  it('sends to 1,200 people in one transaction, across the batches of the outbox and of the recipients', async () => {
    const f = await network();
    try {
      await f.t.db
        .insertInto('person')
        .values(
          Array.from({ length: 1_200 }, (_, k) => ({
            email: `p${String(k).padStart(4, '0')}@grand.example.org`,
            display_name: `P${k}`,
            password_hash: 'h',
          })),
        )
        .execute();
      await f.t.db
        .insertInto('membership')
        .columns(['person_id', 'structure_id', 'role'])
        .expression((eb) =>
          eb
            .selectFrom('person')
            .select(['person.id', eb.val(f.structures.empty).as('structure_id'), eb.val('staff').as('role')])
            .where('email', 'like', '%@grand.example.org'),
        )
        .execute();
      const result = await send(f, { scope: 'structures', structures: [f.structures.empty] });
      assert.ok(result.ok);
      assert.equal(result.recipients, 1_200);
      const mails = await outbox(f.t.db);
      assert.equal(mails.length, 1_200);
      assert.equal(new Set(mails.map((m) => m.to_address)).size, 1_200);
      assert.match(mails[1_199]?.text_body ?? '', /^Bonjour P1199,/);
      assert.equal(await count(f.t.db, 'network_message_recipient'), 1_200);
      // Each recipient row points to the mail of that person.
      const mismatched = await f.t.db
        .selectFrom('network_message_recipient as r')
        .innerJoin('mail_outbox as m', 'm.id', 'r.mail_id')
        .innerJoin('person as p', 'p.id', 'r.person_id')
        .select('r.person_id')
        .whereRef('p.email', '!=', 'm.to_address')
        .execute();
      assert.deepEqual(mismatched, []);
    } finally {
      await f.t.close();
    }
  });

  it('puts one mail per person in the outbox, with the sender, the network and the reason', async () => {
    const f = await network();
    try {
      const result = await send(f, { scope: 'network' });
      assert.ok(result.ok && !result.duplicate);
      assert.equal(result.recipients, 4);
      const mails = await outbox(f.t.db);
      assert.deepEqual(
        mails.map((m) => m.to_address),
        ['alice@example.org', 'bob@example.org', 'carol@example.org', 'erin@example.org'],
      );
      const alice = mails[0]?.text_body ?? '';
      assert.equal(mails[0]?.subject, 'Réunion du réseau');
      assert.match(
        alice,
        /^Bonjour Alice,\n\nBonjour à toutes et à tous,\n\nLa prochaine réunion a lieu le 12 mars\./,
      );
      assert.match(alice, /Message de Camille Martin, coordination du réseau « Réseau numérique du Loiret »/);
      assert.match(alice, /Pour répondre, écrivez à la coordination : coordination@reseau\.example\.org/);
      assert.match(
        alice,
        /Vous recevez ce message car vous êtes administratrice ou administrateur de la structure « Médiathèque Madeleine », et membre de la structure « Centre social de Saran » dans le réseau « Réseau numérique du Loiret »\./,
      );
      assert.match(
        mails[1]?.text_body ?? '',
        /car vous êtes membre de la structure « Médiathèque Madeleine » dans le réseau/,
      );
      assert.ok(!mails.some((m) => m.to_address === 'dave@example.org'), 'never activated: no mail');
      assert.equal(await count(f.t.db, 'network_message_recipient'), 4);
      const journal = await f.t.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'network_message.sent')
        .execute();
      assert.equal(journal.length, 1);
      assert.equal(journal[0]?.actor_id, f.persons.coord);
      assert.deepEqual(journal[0]?.details, {
        recipients: 4,
        excludedAccounts: 1,
        audience: 'Les membres de toutes les structures du réseau',
      });
    } finally {
      await f.t.close();
    }
  });

  it('names only the structures that brought the person in, in the reason line', () => {
    assert.equal(
      reasonLine(
        [
          { structureName: 'A', role: 'staff' },
          { structureName: 'B', role: 'staff' },
        ],
        'R',
      ),
      'Vous recevez ce message car vous êtes membre des structures « A » et « B » dans le réseau « R ».',
    );
  });

  it('sends nothing a second time for the same preview (refresh, back, double click)', async () => {
    const f = await network();
    try {
      const prepared = await prepareNetworkMessage(
        f.t.db,
        f.coordinator,
        form({ scope: 'kind', kind: 'CS' }),
      );
      assert.ok(prepared.ok);
      const input = {
        form: prepared.preview.values,
        token: prepared.preview.token,
        expectedRecipients: prepared.preview.audienceKey,
      };
      const [a, b] = await Promise.all([
        sendNetworkMessage(f.t.db, f.coordinator, input, SETTINGS),
        sendNetworkMessage(f.t.db, f.coordinator, input, SETTINGS),
      ]);
      const again = await sendNetworkMessage(f.t.db, f.coordinator, input, SETTINGS);
      assert.ok(a.ok && b.ok && again.ok);
      assert.equal(a.messageId, b.messageId);
      assert.equal(again.messageId, a.messageId);
      assert.ok(again.duplicate);
      assert.equal([a, b].filter((r) => r.ok && r.duplicate).length, 1);
      assert.equal(await count(f.t.db, 'network_message'), 1);
      assert.equal((await outbox(f.t.db)).length, 2);
    } finally {
      await f.t.close();
    }
  });

  it('shows the preview again, sending nothing, when the token is forged or the audience changed', async () => {
    const f = await network();
    try {
      const prepared = await prepareNetworkMessage(f.t.db, f.coordinator, form({ scope: 'network' }));
      assert.ok(prepared.ok);
      const forged = await sendNetworkMessage(
        f.t.db,
        f.coordinator,
        { form: prepared.preview.values, token: 'pas-un-jeton', expectedRecipients: '4' },
        SETTINGS,
      );
      assert.ok(!forged.ok && 'problem' in forged);
      assert.match(forged.problem, /Le formulaire d’envoi a expiré/);
      // A new member joined between the preview and the send.
      await f.t.db
        .insertInto('membership')
        .values({ person_id: f.persons.coord, structure_id: f.structures.asso, role: 'staff' })
        .execute();
      const changed = await sendNetworkMessage(
        f.t.db,
        f.coordinator,
        {
          form: prepared.preview.values,
          token: prepared.preview.token,
          expectedRecipients: prepared.preview.audienceKey,
        },
        SETTINGS,
      );
      assert.ok(!changed.ok && 'problem' in changed);
      assert.match(changed.problem, /5 personnes au lieu de 4/);
      assert.equal(changed.preview.recipients, 5);
      // Invalid text slipped into the hidden fields: the form again, nothing written.
      const bad = await sendNetworkMessage(
        f.t.db,
        f.coordinator,
        {
          form: { ...prepared.preview.values, subject: '' },
          token: prepared.preview.token,
          expectedRecipients: '5',
        },
        SETTINGS,
      );
      assert.ok(!bad.ok && 'view' in bad);
      assert.equal(await count(f.t.db, 'network_message'), 0);
      assert.equal(await count(f.t.db, 'mail_outbox'), 0);
    } finally {
      await f.t.close();
    }
  });

  it('is for coordinators only: a structure administrator, a funder and a visitor are refused', async () => {
    const f = await network();
    try {
      const admin: Actor = {
        kind: 'person',
        personId: f.persons.alice,
        networkRole: null,
        memberships: [{ structureId: f.structures.media, role: 'structure_admin' }],
      };
      const funder: Actor = {
        kind: 'person',
        personId: f.persons.bob,
        networkRole: 'funder',
        memberships: [],
      };
      for (const actor of [admin, funder, { kind: 'anonymous' } as const]) {
        for (const call of [
          () => prepareNetworkMessage(f.t.db, actor, form({})),
          () =>
            sendNetworkMessage(
              f.t.db,
              actor,
              { form: form({}), token: UNKNOWN, expectedRecipients: '1' },
              SETTINGS,
            ),
          () => composeNetworkMessage(f.t.db, actor),
          () => listNetworkMessages(f.t.db, actor),
          () => viewNetworkMessage(f.t.db, actor, { id: UNKNOWN }),
        ])
          await assert.rejects(call, (e: unknown) => isDomainError(e) && e.code === 'forbidden');
        assert.deepEqual(await homeBlocks(f.t.db, actor), []);
      }
      assert.equal(await count(f.t.db, 'mail_outbox'), 0);
    } finally {
      await f.t.close();
    }
  });
});

describe('the sent messages, their delivery and their retention', () => {
  it('lists sent messages with what the outbox says, and gives the coordinator a home block', async () => {
    const f = await network();
    try {
      const first = await send(f, { scope: 'kind', kind: 'CS', subject: 'Premier message' });
      assert.ok(first.ok);
      await f.t.db
        .updateTable('mail_outbox')
        .set({ status: 'sent', sent_at: NOW })
        .where('to_address', '=', 'carol@example.org')
        .execute();
      const { messages, total } = await listNetworkMessages(f.t.db, f.coordinator);
      assert.equal(total, 1);
      assert.deepEqual(messages[0]?.delivery, { sent: 1, pending: 1, failed: 0, final: false });
      assert.equal(messages[0]?.senderName, 'Camille Martin');
      const [block] = await homeBlocks(f.t.db, f.coordinator);
      assert.equal(block?.id, 'messages.sent');
      assert.equal(block?.title, 'Messages au réseau');
      assert.equal(block?.count, 1);
      assert.equal(block?.href, '/messages/nouveau');
      assert.equal(block?.more?.href, '/messages');
      assert.equal(block?.items?.[0]?.label, 'Premier message');
      assert.match(block?.items?.[0]?.detail ?? '', /2 destinataires : 1 remis sur 2, 1 en attente/);
      await assert.rejects(
        viewNetworkMessage(f.t.db, f.coordinator, { id: 'nimporte-quoi' }),
        (e: unknown) => isDomainError(e) && e.code === 'not_found',
      );
    } finally {
      await f.t.close();
    }
  });

  it('prefills the form from a link: known structures checked, an unknown one named, a suggested subject', async () => {
    const f = await network();
    try {
      const view = await composeNetworkMessage(f.t.db, f.coordinator, {
        structures: [f.structures.social, UNKNOWN],
        motif: 'orientations',
      });
      assert.equal(view.values.scope, 'structures');
      assert.deepEqual(view.values.structures, [f.structures.social]);
      assert.match(view.values.subject, /orientations attendent votre réponse/);
      assert.match(view.errors.structures ?? '', /Le lien demandait la structure « 00000000/);
      const free = await composeNetworkMessage(f.t.db, f.coordinator, { motif: '<script>' });
      assert.equal(free.values.subject, '', 'no free text from the address');
    } finally {
      await f.t.close();
    }
  });

  it('deletes the list of recipients with the sent mail, keeping the delivered and failed figures', async () => {
    const f = await network();
    try {
      const result = await send(f, { scope: 'network' });
      assert.ok(result.ok);
      await f.t.db
        .updateTable('mail_outbox')
        .set({ status: 'sent', sent_at: NOW, created_at: NOW })
        .where('to_address', '!=', 'bob@example.org')
        .execute();
      await f.t.db
        .updateTable('mail_outbox')
        .set({ status: 'failed', created_at: NOW })
        .where('to_address', '=', 'bob@example.org')
        .execute();
      const early = await purgeNetworkMessageRecipients(f.t.db, {
        now: new Date(NOW.getTime() + 29 * 86_400_000),
        days: 30,
      });
      assert.equal(early.networkMessageRecipients, 0, 'younger than the period: kept');
      const later = new Date(NOW.getTime() + 31 * 86_400_000);
      const counts = await purgePersonalData(
        f.t.db,
        { kind: 'system' },
        {
          config: loadConfig({ DATA_DIR: '/nonexistent-test-dir' }),
          now: later,
        },
      );
      assert.equal(counts.networkMessageRecipients, 4);
      assert.equal(counts.sentMail, 4, 'the outbox forgets the mails in the same run');
      assert.equal(await count(f.t.db, 'network_message_recipient'), 0);
      const message = await viewNetworkMessage(f.t.db, f.coordinator, { id: result.messageId });
      assert.deepEqual(message.delivery, { sent: 3, pending: 0, failed: 1, final: true });
      assert.equal(message.recipients, 4);
      const again = await purgeNetworkMessageRecipients(f.t.db, { now: later, days: 30 });
      assert.equal(again.networkMessageRecipients, 0, 'idempotent');
    } finally {
      await f.t.close();
    }
  });

  it('forgets a recipient whose account is deleted, keeping the message and its count', async () => {
    const f = await network();
    try {
      const result = await send(f, { scope: 'network' });
      assert.ok(result.ok);
      await f.t.db.deleteFrom('person').where('id', '=', f.persons.bob).execute();
      assert.equal(await count(f.t.db, 'network_message_recipient'), 3);
      assert.equal((await viewNetworkMessage(f.t.db, f.coordinator, { id: result.messageId })).recipients, 4);
    } finally {
      await f.t.close();
    }
  });
});
