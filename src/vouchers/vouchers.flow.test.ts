import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import type { Actor } from '../accounts/policy.ts';
import { allocateBooklets, distributeBooklet, getBooklet } from './booklets.service.ts';
import { sealLedger, verifyLedger } from './ledger.service.ts';
import { cancelRedemption, describeVoucher, redeemVoucher } from './redemptions.service.ts';
import {
  addPrescriber,
  addQualifiedPlace,
  confirmProgramme,
  createProgramme,
  emitBooklets,
  recordPayment,
  viewProgramme,
} from './vouchers.service.ts';

after(closeTestTemplate);
const SYSTEM: Actor = { kind: 'system' };
it('runs a programme end to end', async () => {
  const t = await createTestDb();
  const db = t.db;
  const funder = await db
    .insertInto('funder')
    .values({ name: 'CCAS' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const s = await db
    .insertInto('structure')
    .values({ pivot: '00000000000001', nom: 'Médiathèque', typologie: [] })
    .returning('id')
    .executeTakeFirstOrThrow();
  const person = await db
    .insertInto('person')
    .values({ email: 'a@example.org', display_name: 'A' } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  const place = await db
    .insertInto('place')
    .values({
      source: 't',
      source_id: '1',
      structure_id: s.id,
      pivot: '00000000000001',
      nom: 'Médiathèque Saran',
      commune: 'Saran',
      code_postal: '45770',
      code_insee: '45302',
      adresse: '1 rue',
      content_hash: 'x',
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  const staff: Actor = {
    kind: 'person',
    personId: person.id,
    networkRole: null,
    memberships: [{ structureId: s.id, role: 'structure_admin' }],
  };
  const p = await createProgramme(db, SYSTEM, {
    funderId: funder.id,
    name: 'Pass 2026',
    faceValue: '10',
    bookletSize: '5',
    validFrom: '01/01/2026',
    validUntil: '31/12/2026',
    graceDays: '31',
    perimeter: 'epci:244500468',
    budget: '1000',
    publics: [],
  });
  assert.ok(p.ok, JSON.stringify(p));
  const id = p.programmeId;
  assert.deepEqual(await emitBooklets(db, SYSTEM, { programmeId: id, booklets: '2' }), {
    ok: false,
    errors: { booklets: (await import('./vouchers.ts')).MESSAGES.notConfirmed },
  });
  assert.ok((await confirmProgramme(db, SYSTEM, { programmeId: id, confirmed: true })).ok);
  const e = await emitBooklets(db, SYSTEM, { programmeId: id, booklets: '4' });
  assert.ok(e.ok, JSON.stringify(e));
  const over = await emitBooklets(db, SYSTEM, { programmeId: id, booklets: '20' });
  assert.ok(!over.ok);
  console.log(over);
  assert.ok((await addQualifiedPlace(db, SYSTEM, { programmeId: id, placeId: place.id })).ok);
  assert.ok((await addPrescriber(db, SYSTEM, { programmeId: id, structureId: s.id })).ok);
  const pay = await recordPayment(db, SYSTEM, {
    programmeId: id,
    emissionId: String(e.emissionId),
    amount: '200',
    reference: 'MANDAT-1',
  });
  assert.ok(pay.ok, JSON.stringify(pay));
  const al = await allocateBooklets(db, SYSTEM, { programmeId: id, structureId: s.id, count: '2' });
  assert.ok(al.ok, JSON.stringify(al));
  const b = al.booklets[0]!;
  const d = await distributeBooklet(
    db,
    staff,
    { bookletId: b.id, declared: true, ageBand: '60_74', commune: '' },
    { resolveCommune: () => null, now: new Date('2026-12-06T10:00:00Z') },
  );
  assert.ok(d.ok, JSON.stringify(d));
  const view = await getBooklet(db, staff, { bookletId: b.id });
  const code = view.vouchers[0]!.code;
  const now = new Date('2026-12-06T11:00:00Z');
  const desc = await describeVoucher(db, staff, { placeId: place.id, code }, { now });
  assert.ok(desc.ok, JSON.stringify(desc));
  const r = await redeemVoucher(
    db,
    staff,
    { placeId: place.id, code, needs: ['caf'], servedOn: '', idempotencyKey: 'key-0000001' },
    { now },
  );
  assert.ok(r.ok, JSON.stringify(r));
  const again = await redeemVoucher(
    db,
    staff,
    { placeId: place.id, code, needs: ['caf'], servedOn: '', idempotencyKey: 'key-0000001' },
    { now },
  );
  assert.ok(again.ok && again.replayed);
  const twice = await redeemVoucher(
    db,
    staff,
    { placeId: place.id, code, needs: ['caf'], servedOn: '', idempotencyKey: 'key-0000002' },
    { now },
  );
  console.log(twice);
  assert.ok(!twice.ok && twice.refusal === 'already_redeemed');
  const c = await cancelRedemption(db, staff, { redemptionId: String(r.redemption.id), reason: '' }, { now });
  assert.ok(c.ok, JSON.stringify(c));
  const r2 = await redeemVoucher(
    db,
    staff,
    { placeId: place.id, code, needs: ['caf'], servedOn: '', idempotencyKey: 'key-0000003' },
    { now },
  );
  assert.ok(r2.ok, JSON.stringify(r2));
  const bad = await redeemVoucher(
    db,
    staff,
    {
      placeId: place.id,
      code: code.slice(0, 13) + (code[13] === '0' ? '1' : '0'),
      needs: ['caf'],
      servedOn: '',
      idempotencyKey: 'key-0000004',
    },
    { now },
  );
  console.log(bad);
  console.log(await sealLedger(db, SYSTEM));
  const rep = await verifyLedger(db, SYSTEM, { now });
  console.log(JSON.stringify(rep, null, 1));
  assert.ok(rep.ok);
  const v = await viewProgramme(db, SYSTEM, { programmeId: id });
  console.log(v.totals);
  await assert.rejects(
    db
      .updateTable('voucher_entry')
      .set({ reference: 'x' } as never)
      .execute(),
    /append-only/,
  );
  await assert.rejects(db.deleteFrom('voucher').execute(), /append-only/);
  await t.close();
});
