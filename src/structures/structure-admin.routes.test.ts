import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { testApp } from '../../test/support/app.ts';
import { cookieBrowser } from '../../test/support/cookie-browser.ts';
import { closeTestTemplate, createDemoTestDb } from '../../test/support/test-db.ts';
import type { Actor } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import { staleBefore } from '../places/freshness.service.ts';
import { homeBlocks } from './structures-home.service.ts';

after(closeTestTemplate);

const PASSWORD = 'un mot de passe assez long';

async function demo() {
  const t = await createDemoTestDb();
  const app = testApp(t.db);
  const coordinator = cookieBrowser(app);
  await coordinator.signIn('coordination.demo@example.org');
  return { t, app, coordinator };
}

/** The invitation links mailed to an address, oldest first. */
async function links(db: Db, to: string): Promise<string[]> {
  const rows = await db
    .selectFrom('mail_outbox')
    .select('text_body')
    .where('to_address', '=', to)
    .orderBy('created_at')
    .execute();
  return rows.flatMap((r) =>
    [...r.text_body.matchAll(/\/invitation\/([A-Za-z0-9_-]{43})/g)].map((m) => `/invitation/${m[1]}`),
  );
}

async function memberships(db: Db, email: string) {
  return db
    .selectFrom('membership')
    .innerJoin('person', 'person.id', 'membership.person_id')
    .select(['membership.structure_id', 'membership.role'])
    .where('person.email', '=', email)
    .execute();
}

async function createStructure(
  b: ReturnType<typeof cookieBrowser>,
  name: string,
  pivot: string,
  admin: string,
) {
  const res = await b.post('/structures', '/structures', {
    name,
    pivot,
    kind: 'CS',
    adminEmail: admin,
    adminName: 'Alix',
  });
  assert.equal(res.status, 303, `${name} is created`);
  return /\/structures\/([0-9a-f-]{36})/.exec(res.headers.get('Location') ?? '')?.[1] ?? '';
}

async function accept(app: ReturnType<typeof testApp>, link: string) {
  const b = cookieBrowser(app);
  const page = await b.request(link);
  if (page.status !== 200) return { b, res: page };
  const res = await b.request(link, {
    form: {
      _csrf: b.csrfOf(await page.text()),
      displayName: 'Alix Martin',
      password: PASSWORD,
      confirmation: PASSWORD,
    },
  });
  return { b, res };
}

describe('invitations seen, sent again and withdrawn', () => {
  it('withdraws an invitation: its link no longer sets any role', async () => {
    const { t, app, coordinator } = await demo();
    try {
      const id = await createStructure(
        coordinator,
        'Centre social de Saran',
        '21450302100013',
        'alix@example.org',
      );
      const page = await (await coordinator.request(`/structures/${id}`)).text();
      assert.match(page, /<h2 id="invitations">Invitations en attente<\/h2>/);
      assert.match(page, /alix@example\.org/);
      const withdraw =
        /action="(\/structures\/[0-9a-f-]+\/invitations\/[0-9a-f-]+\/retirer)"/.exec(page)?.[1] ?? '';
      assert.ok(withdraw, 'a button withdraws the invitation');
      const [link] = await links(t.db, 'alix@example.org');
      assert.ok(link);
      const done = await coordinator.request(withdraw, { form: { _csrf: coordinator.csrfOf(page) } });
      assert.equal(done.status, 303);
      const after = await (await coordinator.request(done.headers.get('Location') ?? '')).text();
      assert.match(after, /L&#39;invitation est retirée/);
      assert.match(after, /Aucune invitation en attente/);
      const { res } = await accept(app, link);
      assert.match(await res.text(), /Lien non valable/);
      assert.deepEqual(await memberships(t.db, 'alix@example.org'), [], 'no role was set');
      // Withdrawn twice: the second one finds nothing (404, a French message), never a 500.
      const again = await coordinator.request(withdraw, { form: { _csrf: coordinator.csrfOf(page) } });
      assert.equal(again.status, 404);
      const actions = (await t.db.selectFrom('audit_log').select('action').execute()).map((r) => r.action);
      assert.ok(actions.includes('invitation.withdrawn'));
    } finally {
      await t.close();
    }
  });

  it('sends an invitation again: a new link works, the old one stops working', async () => {
    const { t, app, coordinator } = await demo();
    try {
      const id = await createStructure(
        coordinator,
        'Médiathèque de Saran',
        '43493312300029',
        'alix@example.org',
      );
      const page = await (await coordinator.request(`/structures/${id}`)).text();
      const resend =
        /action="(\/structures\/[0-9a-f-]+\/invitations\/[0-9a-f-]+\/renvoyer)"/.exec(page)?.[1] ?? '';
      const sent = await coordinator.request(resend, { form: { _csrf: coordinator.csrfOf(page) } });
      assert.equal(sent.status, 303);
      const [oldLink, newLink] = await links(t.db, 'alix@example.org');
      assert.ok(oldLink && newLink && oldLink !== newLink, 'a second, different link is mailed');
      const old = await accept(app, oldLink);
      assert.match(await old.res.text(), /Lien non valable/);
      assert.deepEqual(await memberships(t.db, 'alix@example.org'), []);
      const fresh = await accept(app, newLink);
      assert.equal(fresh.res.status, 303);
      assert.deepEqual(await memberships(t.db, 'alix@example.org'), [
        { structure_id: id, role: 'structure_admin' },
      ]);
      // Accepted: nothing waits any more.
      assert.match(
        await (await coordinator.request(`/structures/${id}`)).text(),
        /Aucune invitation en attente/,
      );
    } finally {
      await t.close();
    }
  });

  it('keeps invitations to administrators and coordinators', async () => {
    const { t, app } = await demo();
    try {
      const staff = cookieBrowser(app);
      await staff.signIn('mediation.demo@example.org');
      const { id } = await t.db
        .selectFrom('membership')
        .innerJoin('person', 'person.id', 'membership.person_id')
        .select('membership.structure_id as id')
        .where('person.email', '=', 'mediation.demo@example.org')
        .executeTakeFirstOrThrow();
      assert.doesNotMatch(await (await staff.request(`/structures/${id}`)).text(), /Invitations en attente/);
    } finally {
      await t.close();
    }
  });
});

describe("the coordinator's list and edit of structures", () => {
  it('filters by kind, commune and without administrator, with totals matching the data', async () => {
    const { t, coordinator } = await demo();
    try {
      await createStructure(coordinator, 'Centre social des Aydes', '21450302100013', 'aydes@example.org');
      const count = async (where: string) =>
        Number(
          (
            await sql<{
              n: number;
            }>`select count(*)::int as n from structure s where ${sql.raw(where)}`.execute(t.db)
          ).rows[0]?.n,
        );
      const heading = async (path: string) => {
        const res = await coordinator.request(path);
        assert.equal(res.status, 200, path);
        const html = await res.text();
        const h = /<h2 id="liste">([^<]*)<\/h2>/.exec(html)?.[1] ?? '';
        return { n: h.startsWith('Aucune') ? 0 : Number(h.replace(/\D/g, '')), html };
      };
      const all = await count('true');
      assert.equal((await heading('/structures')).n, all);
      const noAdmin = await count(
        "not exists (select 1 from membership m where m.structure_id = s.id and m.role = 'structure_admin')",
      );
      assert.ok(noAdmin > 0, 'the new structure has no administrator until its invitation is accepted');
      const sans = await heading('/structures?admin=sans');
      assert.equal(sans.n, noAdmin);
      assert.match(sans.html, /Centre social des Aydes/);
      const cs = await heading('/structures?type=CS');
      assert.equal(cs.n, await count("'CS' = any(s.typologie)"));
      assert.ok(cs.n >= 1);
      const { code_insee: code } = await t.db
        .selectFrom('place')
        .select('code_insee')
        .where('structure_id', 'is not', null)
        .where('code_insee', 'is not', null)
        .orderBy('code_insee')
        .executeTakeFirstOrThrow();
      const inCommune = await heading(`/structures?commune=${code}`);
      assert.equal(
        inCommune.n,
        await count(
          `exists (select 1 from place p where p.structure_id = s.id and p.code_insee = '${code}')`,
        ),
      );
      assert.ok(inCommune.n >= 1);
      const pending = await heading('/structures?attente=oui');
      assert.match(pending.html, /Centre social des Aydes/, 'its invitation waits');
      const combined = await heading(
        `/structures?type=CS&admin=sans&q=${encodeURIComponent('aydes centre')}`,
      );
      assert.equal(combined.n, 1);
      // Sorting keeps the total; an unknown filter value is named, never a 500.
      assert.equal((await heading('/structures?tri=lieux')).n, all);
      for (const [path, message] of [
        ['/structures?type=XYZ', /Type de structure : ce type n’existe pas/],
        ['/structures?commune=99999', /Commune : « 99999 » n’est pas une commune des lieux des structures/],
        ['/structures?tri=hasard', /Trier par : choisissez un ordre/],
        ['/structures?page=-2', /Page : le numéro de page/],
      ] as const) {
        const res = await coordinator.request(path);
        assert.equal(res.status, 422, path);
        assert.match(await res.text(), message, path);
      }
    } finally {
      await t.close();
    }
  });

  it('edits a structure, naming each wrong field and writing nothing until all are right', async () => {
    const { t, coordinator } = await demo();
    try {
      const id = await createStructure(coordinator, 'Espace de vie sociale', 'W452001234', 'evs@example.org');
      const form = `/structures/${id}/modifier`;
      const before = await t.db
        .selectFrom('structure')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      const bad = await coordinator.post(form, form, {
        name: '  ',
        kind: 'EVS',
        pivot: '21450302100014',
        contactEmail: 'pas une adresse',
        contactPhone: '12',
      });
      assert.equal(bad.status, 422);
      const html = await bad.text();
      assert.match(html, /href="#name">Nom : Indiquez le nom de la structure/);
      assert.match(html, /href="#pivot">SIRET ou RNA : le SIRET 214 503 021 00014 contient une erreur/);
      assert.match(html, /href="#contactEmail">E-mail de contact : « pas une adresse »/);
      assert.match(html, /href="#contactPhone">Téléphone de contact : « 12 »/);
      assert.match(html, /value="21450302100014"/, 'what was typed is kept');
      const zeros = await coordinator.post(form, form, { name: 'EVS', kind: 'EVS', pivot: '00000000000000' });
      assert.match(await zeros.text(), /ce SIRET ne contient que des zéros/);
      const same = await t.db
        .selectFrom('structure')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(same, before, 'nothing written');

      const ok = await coordinator.post(form, form, {
        name: 'Espace de vie sociale des Aydes',
        kind: 'EVS',
        pivot: '356 000 000 49837',
        contactEmail: 'Contact@Aydes.example.org',
        contactPhone: '02 38 80 34 00',
      });
      assert.equal(ok.status, 303, "La Poste's SIRET passes its own rule");
      const saved = await t.db
        .selectFrom('structure')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(saved.nom, 'Espace de vie sociale des Aydes');
      assert.deepEqual(saved.typologie, ['EVS']);
      assert.equal(saved.pivot, '35600000049837');
      assert.equal(saved.contact_phone, '+33238803400');
      const page = await (await coordinator.request(`/structures/${id}?fait=modifiee`)).text();
      assert.match(page, /La structure est modifiée/);
      assert.match(page, /Espace de vie sociale/);
      assert.match(page, /02 38 80 34 00/);
    } finally {
      await t.close();
    }
  });
});

describe('home blocks of structures', () => {
  it('counts what waits for a coordinator and, per structure, for its members, as the data says', async () => {
    const { t, coordinator } = await demo();
    try {
      await createStructure(coordinator, 'Centre social des Aydes', '21450302100013', 'aydes@example.org');
      const coordinatorActor = async (email: string): Promise<Actor> => {
        const person = await t.db
          .selectFrom('person')
          .select(['id', 'network_role'])
          .where('email', '=', email)
          .executeTakeFirstOrThrow();
        const ms = await t.db
          .selectFrom('membership')
          .select(['structure_id', 'role'])
          .where('person_id', '=', person.id)
          .execute();
        return {
          kind: 'person',
          personId: person.id,
          networkRole: person.network_role,
          memberships: ms.map((m) => ({ structureId: m.structure_id, role: m.role })),
        };
      };
      const now = new Date();
      const blocks = await homeBlocks(t.db, await coordinatorActor('coordination.demo@example.org'), now);
      const byId = new Map(blocks.map((b) => [b.id, b]));
      const withoutAdmin = await t.db
        .selectFrom('structure')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('membership')
                .select('person_id')
                .whereRef('membership.structure_id', '=', 'structure.id')
                .where('membership.role', '=', 'structure_admin'),
            ),
          ),
        )
        .executeTakeFirstOrThrow();
      assert.equal(byId.get('structures.without_admin')?.count, Number(withoutAdmin.n));
      assert.equal(byId.get('structures.without_admin')?.href, '/structures?admin=sans');
      const invitations = await t.db
        .selectFrom('one_time_token')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('purpose', '=', 'invitation')
        .where('structure_id', 'is not', null)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirstOrThrow();
      const requests = await t.db
        .selectFrom('join_request')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('status', '=', 'pending')
        .executeTakeFirstOrThrow();
      assert.ok(Number(invitations.n) >= 1);
      assert.equal(byId.get('structures.pending')?.count, Number(invitations.n) + Number(requests.n));
      assert.equal(byId.get('structures.place_requests')?.count, 0);

      // The demo administrator: its structure's stale places and members, its invitations listed.
      const admin = await coordinatorActor('admin.demo@example.org');
      const structureId = admin.kind === 'person' ? admin.memberships[0]?.structureId : undefined;
      assert.ok(structureId);
      const mine = await homeBlocks(t.db, admin, now);
      const stale = await t.db
        .selectFrom('place')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('structure_id', '=', structureId)
        .where((eb) => eb.or([eb('date_maj', 'is', null), eb('date_maj', '<', staleBefore(now))]))
        .executeTakeFirstOrThrow();
      const places = mine.find((b) => b.id === 'structures.places_to_update');
      assert.equal(places?.count, Number(stale.n));
      const members = await t.db
        .selectFrom('membership')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('structure_id', '=', structureId)
        .executeTakeFirstOrThrow();
      assert.equal(mine.find((b) => b.id === 'structures.members')?.count, Number(members.n));
      assert.ok(!mine.some((b) => b.audience === 'coordinator'), 'no network block for an administrator');
      assert.deepEqual(await homeBlocks(t.db, { kind: 'anonymous' }, now), []);
    } finally {
      await t.close();
    }
  });
});
