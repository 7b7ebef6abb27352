import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { listAllPlaces } from '../../src/places/places.service.ts';
import { answerOrientation, closeOrientation } from '../../src/referrals/inbox.service.ts';
import { createOrientation } from '../../src/referrals/orientation-form.service.ts';
import { placeOffersNeed } from '../../src/referrals/referrals.ts';
import { NEEDS } from '../../src/search/needs.ts';
import { actorOf } from './pass-fixtures.ts';

/**
 * Orientations for the activity records' tests, through the referrals services as people would make
 * them: one structure's member sends a person to another structure's place (a need the place offers,
 * CAF first when it does), the receiving staff accept, and — when asked — close it as "came".
 */
const config = loadConfig({ DATA_DIR: '/nonexistent-test-dir', PUBLIC_URL: 'https://maillage.example.org' });

async function memberOf(db: Db, email: string) {
  const row = await db
    .selectFrom('membership')
    .innerJoin('person', 'person.id', 'membership.person_id')
    .innerJoin('structure', 'structure.id', 'membership.structure_id')
    .select(['person.display_name', 'membership.structure_id', 'structure.nom'])
    .where('person.email', '=', email)
    .executeTakeFirstOrThrow();
  return {
    actor: await actorOf(db, email),
    name: row.display_name,
    email,
    structure: { id: row.structure_id, name: row.nom },
  };
}

export async function orientationTo(
  db: Db,
  opts: { from: string; to: string; state: 'sent' | 'accepted' | 'came' },
): Promise<{ id: string; placeId: string; needs: string[] }> {
  const sender = await memberOf(db, opts.from);
  const receiver = await memberOf(db, opts.to);
  const ids = new Set(
    (
      await db.selectFrom('place').select('id').where('structure_id', '=', receiver.structure.id).execute()
    ).map((r) => r.id),
  );
  const places = (await listAllPlaces(db)).filter((p) => ids.has(p.id));
  let placeId = '';
  let need = '';
  for (const p of places) {
    const offered = NEEDS.filter((n) => placeOffersNeed(p, n));
    const n = offered.find((x) => x.slug === 'caf') ?? offered[0];
    if (n) {
      placeId = p.id;
      need = n.slug;
      break;
    }
  }
  if (!placeId) throw new Error(`no place of ${opts.to} offers a need`);
  const created = await createOrientation(
    db,
    sender.actor,
    {
      form: {
        placeId,
        senderStructureId: sender.structure.id,
        needs: [need],
        message: '',
        urgency: 'normal',
        contactPreference: 'self',
        personName: null,
        personPhone: null,
        personEmail: null,
        senderContact: '02 38 00 00 00',
        consent: true,
        attachDiagnostic: false,
        diagnosticToken: null,
        previousId: null,
      },
      sender: { name: sender.name, email: sender.email, structures: [sender.structure] },
    },
    { config },
  );
  if (!created.ok) throw new Error(`orientation: ${JSON.stringify(created.errors)}`);
  const id = created.orientation.id;
  if (opts.state !== 'sent') {
    const answered = await answerOrientation(
      db,
      receiver.actor,
      { id, actorName: receiver.name, decision: 'accept', reason: '', message: '' },
      { config },
    );
    if (!answered.ok) throw new Error(`answer: ${JSON.stringify(answered.errors)}`);
  }
  if (opts.state === 'came')
    await closeOrientation(db, receiver.actor, { id, actorName: receiver.name, outcome: 'came' });
  return { id, placeId, needs: [need] };
}
