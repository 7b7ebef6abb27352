import type { DemoActivity } from '../activities/activity-batch.ts';
import { addDays } from '../places/place-dates.ts';

/**
 * A year of the demonstration's activity records (decision 0040), drawn by a seeded generator so that
 * every demonstration shows the same year: on each working day, a few individual accompaniments per
 * structure and, once a week, a workshop; themes, durations (the Coop's usual ones), places of the
 * structure (sometimes at home or remote), anonymous participants whose breakdowns add up; and a few
 * coordination activities by the demonstration coordinator.
 */

export interface DemoStructure {
  structureId: string;
  /** The mediator who records (null: nobody of this structure has an account yet). */
  authorId: string | null;
  places: { id: string; name: string; communeCode: string; postalCode: string }[];
}

/** A small deterministic generator (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(r: Random, list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
/** One of the values, each with its weight. */
function weighted<T>(r: Random, entries: readonly (readonly [T, number])[]): T {
  const total = entries.reduce((n, [, w]) => n + w, 0);
  let x = r() * total;
  for (const [v, w] of entries) {
    x -= w;
    if (x < 0) return v;
  }
  return (entries.at(-1) as readonly [T, number])[0];
}

const DIGITAL = [
  ['prendre_en_main_du_materiel', 8],
  ['navigation_sur_internet', 7],
  ['email', 9],
  ['bureautique', 4],
  ['reseaux_sociaux', 3],
  ['sante', 4],
  ['banque_et_achats_en_ligne', 4],
  ['securite_numerique', 4],
  ['gere_ses_contenus_numeriques', 3],
  ['diagnostic_numerique', 2],
  ['insertion_professionnelle', 3],
  ['parentalite', 1],
  ['intelligence_artificielle', 1],
] as const;
const ADMINISTRATIVE = [
  ['social_sante', 5],
  ['argent_impots', 4],
  ['travail_formation', 4],
  ['papiers_elections_citoyennete', 3],
  ['logement', 2],
  ['famille_scolarite', 2],
  ['transports_mobilite', 1],
] as const;
const PROCEDURES = [
  'Déclaration de revenus en ligne',
  'Demande de carte grise',
  'Prime d’activité (CAF)',
  'Espace personnel France Travail',
  'Attestation de droits Ameli',
  'Demande de logement social',
] as const;
const WORKSHOPS = [
  ['Découvrir la tablette', 'debutant'],
  ['Créer et utiliser son adresse e-mail', 'debutant'],
  ['Faire ses démarches en ligne en sécurité', 'intermediaire'],
  ['Ranger ses photos et ses documents', 'intermediaire'],
  ['Reconnaître les arnaques en ligne', 'debutant'],
  ['Prendre rendez-vous chez le médecin en ligne', 'debutant'],
  ['Utiliser un assistant d’intelligence artificielle', 'avance'],
] as const;
const AGES = [
  ['moins_de_douze', 1],
  ['douze_dix_huit', 2],
  ['dix_huit_vingt_quatre', 4],
  ['vingt_cinq_trente_neuf', 10],
  ['quarante_cinquante_neuf', 14],
  ['soixante_soixante_neuf', 14],
  ['soixante_dix_plus', 12],
  ['non_communique', 3],
] as const;
const STATUSES = [
  ['scolarise', 2],
  ['sans_emploi', 10],
  ['en_emploi', 8],
  ['retraite', 16],
  ['non_communique', 4],
] as const;
const GENDERS = [
  ['feminin', 11],
  ['masculin', 8],
  ['non_communique', 1],
] as const;

/** Anonymous participants: each one drawn, so that every breakdown adds up to the total. */
function participants(r: Random, total: number, collective: boolean): DemoActivity['participants'] {
  const counts: Record<string, number> = { total, already_accompanied: 0 };
  for (let i = 0; i < total; i++) {
    const g = `gender_${weighted(r, GENDERS)}`;
    const a = `age_${weighted(r, collective ? AGES.filter(([k]) => k !== 'moins_de_douze') : AGES)}`;
    const s = `status_${weighted(r, STATUSES)}`;
    for (const k of [g, a, s]) counts[k] = (counts[k] ?? 0) + 1;
    if (r() < 0.4) counts.already_accompanied = (counts.already_accompanied ?? 0) + 1;
  }
  return counts as unknown as DemoActivity['participants'];
}

const isWeekend = (iso: string) => {
  const d = new Date(`${iso}T12:00:00Z`).getUTCDay();
  return d === 0 || d === 6;
};
const at = (iso: string, hour: number) => new Date(`${iso}T${String(hour).padStart(2, '0')}:00:00Z`);

function individual(r: Random, s: DemoStructure, day: string): DemoActivity {
  const place = s.places.length > 0 ? pick(r, s.places) : null;
  const where = place
    ? weighted(r, [
        ['lieu_activite', 85],
        ['domicile', 7],
        ['a_distance', 8],
      ] as const)
    : 'a_distance';
  const administrative = r() < 0.35;
  const themes = new Set<string>([weighted(r, DIGITAL)]);
  if (r() < 0.3) themes.add(weighted(r, DIGITAL));
  if (administrative) {
    themes.add('aide_aux_demarches_administratives');
    themes.add(weighted(r, ADMINISTRATIVE));
  }
  const oriented = r() < 0.12;
  const created = at(day, 9 + Math.floor(r() * 8));
  return {
    activity: {
      structure_id: s.structureId,
      author_id: s.authorId,
      kind: 'individuel',
      date: day,
      duration_minutes: weighted(r, [
        [30, 5],
        [45, 3],
        [60, 6],
        [90, 2],
        [120, 1],
      ] as const),
      place_kind: where,
      place_id: where === 'lieu_activite' ? (place?.id ?? null) : null,
      place_name: where === 'lieu_activite' ? (place?.name ?? null) : null,
      commune_code: where === 'a_distance' ? null : (place?.communeCode ?? null),
      postal_code: where === 'a_distance' ? null : place?.postalCode || null,
      themes: [...themes],
      equipment: [
        weighted(r, [
          ['telephone', 6],
          ['ordinateur', 5],
          ['tablette', 2],
          ['aucun', 1],
        ] as const),
      ],
      autonomy: weighted(r, [
        ['entierement_accompagne', 4],
        ['partiellement_autonome', 5],
        ['autonome', 2],
      ] as const),
      oriented,
      redirection: oriented
        ? weighted(r, [
            ['administration', 3],
            ['aide_sociale', 2],
            ['operateur_ou_organisme_en_charge', 2],
            ['mediation_numerique', 1],
          ] as const)
        : null,
      procedure_details: administrative && r() < 0.5 ? pick(r, PROCEDURES) : null,
      created_at: created,
      updated_at: created,
    },
    participants: participants(r, 1, false),
  };
}

function workshop(r: Random, s: DemoStructure, day: string): DemoActivity {
  const place = s.places.length > 0 ? pick(r, s.places) : null;
  const [title, level] = pick(r, WORKSHOPS);
  const created = at(day, 16);
  return {
    activity: {
      structure_id: s.structureId,
      author_id: s.authorId,
      kind: 'collectif',
      date: day,
      duration_minutes: weighted(r, [
        [90, 3],
        [120, 4],
        [180, 1],
      ] as const),
      place_kind: place ? 'lieu_activite' : 'a_distance',
      place_id: place?.id ?? null,
      place_name: place?.name ?? null,
      commune_code: place?.communeCode ?? null,
      postal_code: place?.postalCode || null,
      themes: [
        weighted(
          r,
          DIGITAL.filter(([k]) => k !== 'diagnostic_numerique'),
        ),
        ...(r() < 0.3 ? ['securite_numerique'] : []),
      ].filter((t, i, all) => all.indexOf(t) === i),
      equipment: [
        weighted(r, [
          ['tablette', 3],
          ['ordinateur', 3],
          ['telephone', 4],
        ] as const),
      ],
      workshop_title: title,
      workshop_level: level,
      created_at: created,
      updated_at: created,
    },
    participants: participants(r, 4 + Math.floor(r() * 9), true),
  };
}

/** The records of the year before `today` (today included) for these structures. */
export function demoActivities(structures: DemoStructure[], today: string): DemoActivity[] {
  const out: DemoActivity[] = [];
  structures.forEach((s, index) => {
    const r = seeded(20_260_101 + index);
    // The first structure is the busiest; the others record a little less.
    const perDay = index === 0 ? 3 : 2;
    for (let back = 364; back >= 0; back--) {
      const day = addDays(today, -back);
      if (isWeekend(day)) continue;
      // Summer is quieter.
      const month = Number(day.slice(5, 7));
      const n = Math.floor(r() * (perDay + 1) * (month === 8 ? 0.4 : 1));
      for (let i = 0; i < n; i++) out.push(individual(r, s, day));
      if (new Date(`${day}T12:00:00Z`).getUTCDay() === 3 + (index % 2) && month !== 8)
        out.push(workshop(r, s, day));
    }
  });
  return out;
}

/** A few coordination activities of the year by the demonstration coordinator. */
export function demoCoordination(coordinatorId: string | null, today: string) {
  const r = seeded(20_260_999);
  const day = (back: number) => {
    let d = addDays(today, -back);
    while (isWeekend(d)) d = addDays(d, -1);
    return d;
  };
  const base = { author_id: coordinatorId };
  const animations = [300, 240, 180, 120, 60, 20].map((back) => ({
    ...base,
    kind: 'animation' as const,
    date: day(back),
    duration_minutes: pick(r, [90, 120, 180]),
    name: pick(r, [
      'Réunion des médiateurs du territoire',
      'Atelier d’échange de pratiques',
      'Comité des partenaires',
    ]),
    territorial_level: 'intercommunal' as const,
    mediators_count: 6 + Math.floor(r() * 10),
    structures_count: 3 + Math.floor(r() * 6),
    other_actors_count: Math.floor(r() * 4),
    animation_type: pick(r, ['reunion_coordination', 'echange', 'groupe_de_travail'] as const),
    initiative: 'initiative' as const,
    animation_themes: ['partage', 'reseau'],
  }));
  return [
    ...animations,
    {
      ...base,
      kind: 'evenement' as const,
      date: day(200),
      name: 'Journée locale de l’inclusion numérique',
      territorial_level: 'intercommunal' as const,
      participants: 140,
      event_type: 'nec_local' as const,
      organisers: ['ma_structure', 'epci'],
    },
    {
      ...base,
      kind: 'evenement' as const,
      date: day(90),
      name: 'Forum de l’emploi : stand numérique',
      territorial_level: 'communal' as const,
      participants: 60,
      event_type: 'grand_public' as const,
      organisers: ['commune', 'association'],
    },
    {
      ...base,
      kind: 'partenariat' as const,
      date: day(150),
      name: 'Convention avec la caisse d’allocations familiales',
      territorial_level: 'departemental' as const,
      partnership_natures: ['parcours_usager'],
      partner_structures: JSON.stringify([{ name: 'CAF (démonstration)', type: 'autre' }]),
    },
  ];
}
