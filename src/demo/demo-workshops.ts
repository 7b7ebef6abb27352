import { addDays, localToday } from '../places/place-dates.ts';
import type { DemoWorkshop } from '../workshops/workshop-batch.ts';
import { parisInstant } from '../workshops/workshops.ts';
import type { DemoStructure } from './demo-activities.ts';

/**
 * A month of the demonstration's agenda (issue 21): the last two weeks and the next four, about
 * twenty-five dates in the places of three demo structures — a weekly series with one date cancelled,
 * a tentative workshop, a full one with a waiting list, one online —, varied needs, themes and levels.
 * People registered have made-up first names and contacts that cannot be anybody's (example.org
 * addresses, 06 00 00 00 xx numbers); past dates have their attendance taken. Drawn from `now` alone,
 * so every demonstration shows the same month around its day.
 */

interface Plan {
  /** Index of the structure in the list (0, 1, 2), and of its place (undefined: online). */
  structure: number;
  place?: number;
  title: string;
  description: string;
  needs: string[];
  themes: string[];
  level: 'debutant' | 'intermediaire' | 'avance' | null;
  capacity: number;
  status?: 'tentative' | 'confirmed';
  audience?: string;
  accessibility?: string;
  /** Days from today (past dates are moved back, coming ones forward, off the weekend), and hours. */
  days: number[];
  hours: [string, string];
  /** Days (of `days`) whose date is cancelled. */
  cancelled?: number[];
  /** How many people on each coming date (default: a third of the seats), and waiting on a full one. */
  registered?: number;
  waiting?: number;
}

const ACCESS = 'Accès de plain-pied, toilettes accessibles.';

/** The series: the same Tuesday afternoon for six weeks, from the first Tuesday of the two weeks back. */
function tuesdays(today: string): number[] {
  const dow = new Date(`${addDays(today, -13)}T12:00:00Z`).getUTCDay();
  const first = -13 + ((2 - dow + 7) % 7);
  return [0, 7, 14, 21, 28, 35].map((d) => first + d);
}

function plans(today: string): Plan[] {
  const series = tuesdays(today);
  return [
    {
      structure: 0,
      place: 0,
      title: 'Bien démarrer avec son smartphone',
      description:
        'Allumer son téléphone, appeler, envoyer un message et une photo, installer une application.\n\nApportez votre téléphone chargé. Des téléphones sont prêtés à ceux qui n’en ont pas.',
      needs: ['smartphone'],
      themes: ['prendre_en_main_du_materiel'],
      level: 'debutant',
      capacity: 8,
      audience: 'Adultes qui débutent',
      accessibility: ACCESS,
      days: series,
      hours: ['14:00', '16:00'],
      cancelled: [series[4] as number],
    },
    {
      structure: 0,
      place: 1,
      title: 'Créer et utiliser son adresse e-mail',
      description: 'Créer une adresse, lire et écrire un message, joindre un document.',
      needs: ['adresse-mail'],
      themes: ['email'],
      level: 'debutant',
      capacity: 6,
      accessibility: ACCESS,
      days: [3],
      hours: ['10:00', '12:00'],
      registered: 6,
      waiting: 2,
    },
    {
      structure: 0,
      place: 2,
      title: 'Ameli et la CAF : ses espaces en ligne',
      description:
        'Ouvrir son compte Ameli et son espace CAF, retrouver une attestation, déclarer un changement.',
      needs: ['ameli', 'caf'],
      themes: ['social_sante', 'aide_aux_demarches_administratives'],
      level: 'debutant',
      capacity: 10,
      days: [-3, 17],
      hours: ['09:30', '11:30'],
    },
    {
      structure: 0,
      place: 0,
      title: 'Préparer la certification Pix',
      description: 'Tester ses compétences numériques sur Pix et préparer la certification.',
      needs: ['pix'],
      themes: ['culture_numerique'],
      level: 'avance',
      capacity: 8,
      days: [26],
      hours: ['14:00', '17:00'],
    },
    {
      structure: 1,
      place: 0,
      title: 'Déclarer ses revenus en ligne',
      description: 'Se connecter à impots.gouv.fr, vérifier sa déclaration préremplie, la signer.',
      needs: ['impots'],
      themes: ['argent_impots', 'aide_aux_demarches_administratives'],
      level: 'intermediaire',
      capacity: 8,
      days: [-5, 9],
      hours: ['14:00', '16:00'],
    },
    {
      structure: 1,
      place: 0,
      title: 'Découvrir l’ordinateur',
      description: 'La souris, le clavier, les fenêtres et les dossiers : quatre séances pour se lancer.',
      needs: ['ordinateur-debuter'],
      themes: ['prendre_en_main_du_materiel'],
      level: 'debutant',
      capacity: 6,
      days: [-8, 8, 15, 22],
      hours: ['10:00', '12:00'],
    },
    {
      structure: 1,
      place: 1,
      title: 'Se protéger des arnaques en ligne',
      description: 'Reconnaître un faux message, un faux site, et savoir quoi faire.',
      needs: ['securite'],
      themes: ['securite_numerique'],
      level: null,
      capacity: 15,
      status: 'tentative',
      days: [12],
      hours: ['18:00', '19:30'],
    },
    {
      structure: 1,
      title: 'Appeler ses proches en visio',
      description: 'Installer une application de visio et passer un premier appel, depuis chez soi.',
      needs: ['visio'],
      themes: ['navigation_sur_internet'],
      level: 'debutant',
      capacity: 12,
      days: [6, 20],
      hours: ['15:00', '16:00'],
    },
    {
      structure: 2,
      place: 0,
      title: 'Écrire son CV',
      description: 'Mettre son CV en page avec un traitement de texte et l’enregistrer en PDF.',
      needs: ['cv', 'emploi'],
      themes: ['insertion_professionnelle', 'bureautique'],
      level: 'intermediaire',
      capacity: 8,
      audience: 'Personnes en recherche d’emploi',
      days: [-10, 4, 18],
      hours: ['09:00', '12:00'],
    },
    {
      structure: 2,
      place: 1,
      title: 'Le numérique et l’école : l’ENT et Pronote',
      description: 'Suivre les notes, les devoirs et les messages de l’école de ses enfants.',
      needs: ['ecole'],
      themes: ['scolarite_et_numerique', 'parentalite'],
      level: null,
      capacity: 12,
      audience: 'Parents d’élèves',
      days: [10],
      hours: ['17:30', '19:00'],
    },
    {
      structure: 2,
      place: 0,
      title: 'Imprimer et scanner un document',
      description: 'Imprimer un justificatif, scanner un papier avec son téléphone et l’envoyer.',
      needs: ['imprimer', 'scanner'],
      themes: ['prendre_en_main_du_materiel'],
      level: 'debutant',
      capacity: 6,
      days: [-1, 13],
      hours: ['14:00', '15:30'],
    },
    {
      structure: 2,
      place: 1,
      title: 'Ranger ses photos et ses documents',
      description: 'Classer ses fichiers en dossiers, sauvegarder ses photos, faire de la place.',
      needs: ['ordinateur'],
      themes: ['gere_ses_contenus_numeriques'],
      level: 'avance',
      capacity: 8,
      days: [24],
      hours: ['10:00', '12:00'],
    },
  ];
}

const FIRST_NAMES = [
  'Nadia',
  'Paul',
  'Fatou',
  'Marcel',
  'Inès',
  'Gérard',
  'Leïla',
  'Yvette',
  'Karim',
  'Monique',
  'Sofia',
  'Bernard',
  'Aïcha',
  'Jean',
  'Chantal',
  'Mamadou',
  'Lucienne',
  'Hugo',
  'Rose',
  'Ali',
] as const;

/** The fixed public holidays (month-day): no workshop on those days. */
const HOLIDAYS = new Set(['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25']);

/** A working day: a past day on a weekend or a holiday moves back, a coming one forward. */
function weekday(today: string, offset: number): string {
  let day = addDays(today, offset);
  const off = (d: string) =>
    [0, 6].includes(new Date(`${d}T12:00:00Z`).getUTCDay()) || HOLIDAYS.has(d.slice(5));
  while (off(day)) day = addDays(day, offset < 0 ? -1 : 1);
  return day;
}

/** The demonstration's workshops for these structures (the first one's places first), around `now`. */
export function demoWorkshops(structures: readonly DemoStructure[], now: Date): DemoWorkshop[] {
  const today = localToday(now);
  const created = new Date(now.getTime() - 30 * 86_400_000);
  let person = 0;
  const out: DemoWorkshop[] = [];
  for (const plan of plans(today)) {
    const s = structures[plan.structure];
    if (!s) continue;
    const place = plan.place === undefined ? undefined : (s.places[plan.place] ?? s.places[0]);
    if (plan.place !== undefined && !place) continue;
    const dates: DemoWorkshop['dates'] = [];
    for (const offset of plan.days) {
      const day = weekday(today, offset);
      const startsAt = parisInstant(`${day}T${plan.hours[0]}`);
      const endsAt = parisInstant(`${day}T${plan.hours[1]}`);
      if (!startsAt || !endsAt) continue;
      const past = endsAt <= now;
      const seats =
        plan.registered ?? Math.max(2, Math.round(plan.capacity / 3) + (offset % 2 === 0 ? 1 : 0));
      const registrations: DemoWorkshop['dates'][number]['registrations'] = [];
      const count = Math.min(plan.capacity, seats);
      for (let i = 0; i < count + (plan.waiting ?? 0); i++) {
        const n = person++;
        const firstName = FIRST_NAMES[n % FIRST_NAMES.length] as string;
        const waiting = i >= count;
        // One in four registered by a mediator (a first name only), the others with a made-up contact.
        const byMediator = n % 4 === 3;
        const contact = byMediator
          ? { phone: null, email: null }
          : n % 2 === 0
            ? { phone: `+336000000${String(n % 100).padStart(2, '0')}`, email: null }
            : {
                phone: null,
                email: `${firstName
                  .normalize('NFD')
                  .replace(/[^a-zA-Z]/g, '')
                  .toLowerCase()}.${n}@example.org`,
              };
        const registeredAt = new Date(
          Math.min(startsAt.getTime() - (3 + (n % 9)) * 86_400_000, now.getTime()),
        );
        registrations.push({
          first_name: firstName,
          ...contact,
          by_mediator: byMediator,
          registered_by: byMediator ? s.authorId : null,
          state: waiting ? 'waiting' : past ? (n % 5 === 2 ? 'absent' : 'attended') : 'registered',
          waiting_position: waiting ? i - count + 1 : null,
          attendance_at: past && !waiting ? endsAt : null,
          reminded_at: past && contact.email ? new Date(startsAt.getTime() - 86_400_000) : null,
          created_at: registeredAt,
          updated_at: past ? endsAt : registeredAt,
        });
      }
      const cancelled = plan.cancelled?.includes(offset) ?? false;
      dates.push({ startsAt, endsAt, cancelled, registrations: cancelled ? [] : registrations });
    }
    if (dates.length === 0) continue;
    out.push({
      workshop: {
        structure_id: s.structureId,
        title: plan.title,
        description: plan.description,
        needs: plan.needs,
        themes: plan.themes,
        level: plan.level,
        mode: place ? 'place' : 'online',
        place_id: place?.id ?? null,
        place_name: place?.name ?? null,
        commune_code: place?.communeCode ?? null,
        online_url: place ? null : 'https://visio.example.org/demonstration',
        audience: plan.audience ?? '',
        accessibility: plan.accessibility ?? '',
        capacity: plan.capacity,
        status: plan.status ?? 'confirmed',
        created_by: s.authorId,
        created_at: created,
        updated_at: created,
      },
      dates,
    });
  }
  return out;
}
