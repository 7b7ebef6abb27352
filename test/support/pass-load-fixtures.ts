import { randomBytes } from 'node:crypto';
import { insertPerson, insertSession, upsertMembership } from '../../src/accounts/accounts.repository.ts';
import type { Actor } from '../../src/accounts/policy.ts';
import { hashToken } from '../../src/accounts/sessions.service.ts';
import type { Db } from '../../src/db/database.ts';
import { allocateBooklets, distributeBooklet } from '../../src/vouchers/booklets.service.ts';
import {
  addPrescriber,
  addQualifiedPlace,
  confirmProgramme,
  createProgramme,
  emitBooklets,
  recordPayment,
} from '../../src/vouchers/vouchers.service.ts';

/**
 * A pass numérique programme ready for redemptions, built through the services as a coordinator (the
 * system actor) would: confirmed, booklets emitted, the emission paid, every booklet allocated to a
 * prescriber and handed to a person. One qualified place whose structure has a staff account, with
 * complete sessions written directly (as demo-sessions.ts does: the sign-in has its own tests).
 * Shared by the race and crash tests and bench:pass.
 */
export interface RedemptionLoad {
  programmeId: string;
  placeId: string;
  structureId: string;
  personId: string;
  /** The staff member, as the services see her. */
  staff: Actor;
  /** Every voucher's code, in booklet then position order. */
  codes: string[];
  /** Session cookie tokens of the staff member (one per client). */
  sessionTokens: string[];
}

const SYSTEM: Actor = { kind: 'system' };

function must<T extends { ok: boolean }>(what: string, result: T): asserts result is T & { ok: true } {
  if (!result.ok) throw new Error(`${what} failed: ${JSON.stringify(result)}`);
}

/** Runs `work` over `items` with at most `concurrency` at once. */
export async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i] as T, i);
      }
    }),
  );
}

export async function setUpRedemptionLoad(
  db: Db,
  options: {
    booklets: number;
    bookletSize?: 5 | 10;
    sessions?: number;
    /** Concurrent hand-overs (one service call per booklet). */
    concurrency?: number;
    log?: (text: string) => void;
  },
): Promise<RedemptionLoad> {
  const log = options.log ?? (() => {});
  const size = options.bookletSize ?? 10;
  const tag = randomBytes(4).toString('hex');
  const pivot = String(10_000_000_000_000 + Number.parseInt(tag, 16)).slice(0, 14);
  const funder = await db
    .insertInto('funder')
    .values({ name: `CCAS ${tag}`, siren: null, contact_email: null, contact_phone: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  const structure = await db
    .insertInto('structure')
    .values({ pivot, nom: `Médiathèque ${tag}`, typologie: [] } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  const place = await db
    .insertInto('place')
    .values({
      source: 'test',
      source_id: tag,
      structure_id: structure.id,
      pivot,
      nom: `Médiathèque de Saran ${tag}`,
      commune: 'Saran',
      code_postal: '45770',
      code_insee: '45302',
      adresse: '1 rue de la Mairie',
      content_hash: tag,
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  const person = await insertPerson(db, {
    email: `accueil-${tag}@example.org`,
    display_name: 'Accueil',
  } as never);
  await upsertMembership(db, { person_id: person.id, structure_id: structure.id, role: 'staff' });
  const staff: Actor = {
    kind: 'person',
    personId: person.id,
    networkRole: null,
    memberships: [{ structureId: structure.id, role: 'staff' }],
    funderIds: [],
  };

  const year = new Date().getUTCFullYear();
  const vouchers = options.booklets * size;
  const created = await createProgramme(db, SYSTEM, {
    funderId: funder.id,
    name: `Pass numérique ${tag}`,
    faceValue: '10',
    bookletSize: String(size),
    validFrom: `01/01/${year}`,
    validUntil: `31/12/${year + 1}`,
    graceDays: '31',
    perimeter: 'epci:244500468',
    budget: String(vouchers * 10),
    publics: [],
  });
  must('createProgramme', created);
  const programmeId = created.programmeId;
  must('confirmProgramme', await confirmProgramme(db, SYSTEM, { programmeId, confirmed: true }));
  must('addQualifiedPlace', await addQualifiedPlace(db, SYSTEM, { programmeId, placeId: place.id }));
  must('addPrescriber', await addPrescriber(db, SYSTEM, { programmeId, structureId: structure.id }));
  const t0 = performance.now();
  const emitted = await emitBooklets(db, SYSTEM, { programmeId, booklets: String(options.booklets) });
  must('emitBooklets', emitted);
  must(
    'recordPayment',
    await recordPayment(db, SYSTEM, {
      programmeId,
      emissionId: String(emitted.emissionId),
      amount: String(vouchers * 10),
      reference: `MANDAT-${tag}`,
    }),
  );
  const allocated = await allocateBooklets(db, SYSTEM, {
    programmeId,
    structureId: structure.id,
    count: String(options.booklets),
  });
  must('allocateBooklets', allocated);
  log(`emitted, paid and allocated ${vouchers} vouchers in ${Math.round(performance.now() - t0)} ms`);
  const t1 = performance.now();
  // Each hand-over is the prescriber's own service call, as on the booklet's page (the system actor
  // stands for the prescriber): the same ledger entry, one per booklet.
  await inParallel(allocated.booklets, options.concurrency ?? 4, async (b) => {
    must(
      'distributeBooklet',
      await distributeBooklet(
        db,
        SYSTEM,
        { bookletId: b.id, declared: true, ageBand: '', commune: '' },
        { resolveCommune: () => null },
      ),
    );
  });
  log(`handed ${allocated.booklets.length} booklets over in ${Math.round(performance.now() - t1)} ms`);
  const codes = (
    await db
      .selectFrom('voucher')
      .innerJoin('voucher_booklet', 'voucher_booklet.id', 'voucher.booklet_id')
      .select('voucher.code')
      .where('voucher.programme_id', '=', programmeId)
      .orderBy('voucher_booklet.number')
      .orderBy('voucher.position')
      .execute()
  ).map((r) => r.code);

  const sessionTokens: string[] = [];
  const now = new Date();
  for (let i = 0; i < (options.sessions ?? 1); i++) {
    const token = randomBytes(32).toString('base64url');
    await insertSession(db, {
      id: hashToken(token),
      person_id: person.id,
      stage: 'full',
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + 3 * 3600_000),
    });
    sessionTokens.push(token);
  }
  return {
    programmeId,
    placeId: place.id,
    structureId: structure.id,
    personId: person.id,
    staff,
    codes,
    sessionTokens,
  };
}

/**
 * Live redemptions per voucher of a programme, read from the ledger: redemptions without a
 * cancellation. More than one for a voucher is a double spend.
 */
export async function liveRedemptionsPerCode(db: Db, programmeId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('voucher_entry as r')
    .innerJoin('voucher', 'voucher.id', 'r.voucher_id')
    .leftJoin('voucher_entry as c', 'c.cancels_entry_id', 'r.id')
    .select(['voucher.code', (eb) => eb.fn.countAll<number>().as('n')])
    .where('r.programme_id', '=', programmeId)
    .where('r.kind', '=', 'redemption')
    .where('c.id', 'is', null)
    .groupBy('voucher.code')
    .execute();
  return new Map(rows.map((r) => [r.code, Number(r.n)]));
}
