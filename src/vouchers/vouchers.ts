import { addDays, frenchDate, parseDateInput } from '../places/place-dates.ts';
import { parseTerritory, type Territory } from '../shared/territory.ts';
import { cleanLine } from '../shared/text.ts';

/**
 * The pass numérique, pure (decision 0037): a voucher's states and how they follow from the ledger, the
 * programme form's rules, amounts in euros, and every French message of the domain. No database, no
 * HTTP, no process.env.
 */

export type VoucherState = 'in_stock' | 'allocated' | 'distributed' | 'redeemed' | 'expired' | 'cancelled';
export const VOUCHER_STATES: readonly VoucherState[] = [
  'in_stock',
  'allocated',
  'distributed',
  'redeemed',
  'expired',
  'cancelled',
];

export const STATE_LABELS: Readonly<Record<VoucherState, string>> = {
  in_stock: 'En stock',
  allocated: 'Confié à un prescripteur',
  distributed: 'Remis à une personne',
  redeemed: 'Encaissé',
  expired: 'Expiré',
  cancelled: 'Annulé',
};

export const DEFAULT_GRACE_DAYS = 31;
export const BOOKLET_SIZES = [5, 10] as const;
/** A place undoes its own mistaken redemption within this many hours; later only the coordinator. */
export const OWN_CANCELLATION_HOURS = 24;
/** The most booklets one emission may print at once (the bench's 100,000 vouchers fit). */
export const MAX_BOOKLETS_PER_EMISSION = 20_000;
/** Age bands a prescriber may note at hand-over (never a name, never a birth date). */
export const AGE_BANDS = ['moins_de_25', '25_59', '60_74', '75_et_plus', 'non_communique'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];
export const AGE_BAND_LABELS: Readonly<Record<AgeBand, string>> = {
  moins_de_25: 'Moins de 25 ans',
  '25_59': 'De 25 à 59 ans',
  '60_74': 'De 60 à 74 ans',
  '75_et_plus': '75 ans et plus',
  non_communique: 'Non communiqué',
};

/** What the ledger says of one voucher, enough to know its state. */
export interface VoucherFacts {
  paid: boolean;
  allocated: boolean;
  distributed: boolean;
  bookletCancelled: boolean;
  redeemed: boolean;
  /** The last day a redemption may be recorded (valid_until + grace). */
  lastRecordingDay: string;
}

/**
 * A voucher's state, derived from the ledger: redeemed wins (a redemption made before a booklet was
 * declared lost stays owed to its place); then cancelled; then expired once the last recording day has
 * passed; then how far along the chain of hands it went. Payment is not a state: it activates.
 */
export function voucherState(facts: VoucherFacts, today: string): VoucherState {
  if (facts.redeemed) return 'redeemed';
  if (facts.bookletCancelled) return 'cancelled';
  if (today > facts.lastRecordingDay) return 'expired';
  if (facts.distributed) return 'distributed';
  if (facts.allocated) return 'allocated';
  return 'in_stock';
}

/** The last day a place may record a redemption. */
export function lastRecordingDay(validUntil: string, graceDays: number): string {
  return addDays(validUntil, graceDays);
}

/** Cents as French euros: 1000 → "10,00 €". */
export function euros(cents: number): string {
  const sign = cents < 0 ? '−' : '';
  const abs = Math.abs(Math.round(cents));
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
  return `${sign}${whole},${String(abs % 100).padStart(2, '0')}\u00a0€`;
}

/** Typed euros ("10", "10,50", "1 000,00 €") to cents; null when it is not an amount. */
export function parseEuros(text: string): number | null {
  // The euro sign only at the end: "10 €50" is not read as 1 050 €.
  const t = text
    .replace(/[\s\u00a0\u202f]/g, '')
    .replace(/€$/, '')
    .replace(',', '.');
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(t)) return null;
  const [whole, fraction = ''] = t.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

export type FieldErrors = Record<string, string>;

export interface ProgrammeValues {
  funderId: string;
  name: string;
  faceValue: string;
  bookletSize: string;
  validFrom: string;
  validUntil: string;
  graceDays: string;
  perimeter: string;
  budget: string;
  publics: string[];
}

export interface ProgrammeFields {
  funderId: string;
  name: string;
  faceValueCents: number;
  bookletSize: 5 | 10;
  validFrom: string;
  validUntil: string;
  graceDays: number;
  perimeter: Territory;
  budgetCents: number;
  publics: string[];
}

/**
 * The programme form's defaults: 10 €, booklets of 10, from today to 31 December, 31 days of grace. From
 * October on, to 31 December of next year: a programme of a few weeks would stop distributing at once.
 */
export function defaultProgrammeValues(today: string): ProgrammeValues {
  const year = Number(today.slice(0, 4)) + (today.slice(5) >= '10-01' ? 1 : 0);
  return {
    funderId: '',
    name: '',
    faceValue: '10',
    bookletSize: '10',
    validFrom: frenchDate(today),
    validUntil: `31/12/${year}`,
    graceDays: String(DEFAULT_GRACE_DAYS),
    perimeter: '',
    budget: '',
    publics: [],
  };
}

/** Checks the programme form; every refusal names its field. The funder's existence is the service's. */
export function checkProgramme(
  values: ProgrammeValues,
  allowedPublics: readonly string[],
): { ok: true; fields: ProgrammeFields } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const name = cleanLine(values.name);
  if (name === '') errors.name = MESSAGES.nameRequired;
  else if ([...name].length > 200) errors.name = MESSAGES.nameTooLong([...name].length);
  if (cleanLine(values.funderId) === '') errors.funderId = MESSAGES.funderRequired;
  const face = parseEuros(values.faceValue);
  if (face === null || face <= 0) errors.faceValue = MESSAGES.faceValueInvalid(cleanLine(values.faceValue));
  else if (face > 100_000) errors.faceValue = MESSAGES.faceValueTooHigh;
  const size = Number(values.bookletSize);
  if (size !== 5 && size !== 10) errors.bookletSize = MESSAGES.bookletSizeInvalid;
  const from = parseDateInput(values.validFrom);
  if (from === null) errors.validFrom = MESSAGES.dateInvalid('de début', cleanLine(values.validFrom));
  const until = parseDateInput(values.validUntil);
  if (until === null) errors.validUntil = MESSAGES.dateInvalid('de fin', cleanLine(values.validUntil));
  if (from !== null && until !== null && until < from)
    errors.validUntil = MESSAGES.endBeforeStart(frenchDate(until), frenchDate(from));
  const grace = cleanLine(values.graceDays);
  const graceDays = /^\d{1,3}$/.test(grace) ? Number(grace) : Number.NaN;
  if (!(graceDays >= 0 && graceDays <= 366)) errors.graceDays = MESSAGES.graceInvalid(grace);
  const perimeterText = cleanLine(values.perimeter);
  const parsed = perimeterText === '' ? null : parseTerritory(perimeterText);
  if (parsed === null) errors.perimeter = MESSAGES.perimeterRequired;
  else if (!parsed.ok) errors.perimeter = parsed.message;
  const budget = parseEuros(values.budget);
  if (budget === null || budget <= 0) errors.budget = MESSAGES.budgetInvalid(cleanLine(values.budget));
  const unknownPublic = values.publics.find((p) => !allowedPublics.includes(p));
  if (unknownPublic !== undefined) errors.publics = MESSAGES.publicUnknown(unknownPublic.slice(0, 80));
  if (Object.keys(errors).length > 0 || parsed === null || !parsed.ok) return { ok: false, errors };
  return {
    ok: true,
    fields: {
      funderId: cleanLine(values.funderId),
      name,
      faceValueCents: face as number,
      bookletSize: size as 5 | 10,
      validFrom: from as string,
      validUntil: until as string,
      graceDays,
      perimeter: parsed.territory,
      budgetCents: budget as number,
      publics: [...new Set(values.publics)],
    },
  };
}

export const MESSAGES = {
  // programme form
  nameRequired: 'Indiquez le nom du programme, par exemple « Pass numérique 2027 ».',
  nameTooLong: (n: number) => `Le nom du programme doit avoir au plus 200 caractères (il en a ${n}).`,
  funderRequired: 'Choisissez le financeur du programme dans la liste.',
  unknownFunder: "Ce financeur n'existe pas. Choisissez un financeur dans la liste.",
  faceValueInvalid: (v: string) =>
    `La valeur d'un chèque « ${v.slice(0, 40)} » n'est pas un montant positif. Écrivez par exemple 10 ou 10,50.`,
  faceValueTooHigh: "La valeur d'un chèque ne peut pas dépasser 1 000 €.",
  bookletSizeInvalid: 'Un carnet contient 5 ou 10 chèques : choisissez l’un des deux.',
  dateInvalid: (which: string, v: string) =>
    `La date ${which} « ${v.slice(0, 40)} » n'est pas une date. Écrivez-la comme 31/12/2027.`,
  endBeforeStart: (end: string, start: string) =>
    `La date de fin (${end}) est avant la date de début (${start}). Elle doit être le même jour ou après.`,
  graceInvalid: (v: string) =>
    `Le délai de grâce « ${v.slice(0, 40)} » doit être un nombre de jours entre 0 et 366, par exemple 31.`,
  perimeterRequired:
    'Indiquez où vivent les personnes qui peuvent recevoir un chèque, par exemple epci:244500468 (une métropole) ou com:45234.',
  perimeterUnknown: (code: string) => `Le périmètre ne correspond à aucune commune connue (${code}).`,
  budgetInvalid: (v: string) =>
    `Le budget « ${v.slice(0, 40)} » n'est pas un montant positif. Écrivez par exemple 5000 ou 5 000,00.`,
  publicUnknown: (v: string) => `Le public « ${v} » n'existe pas dans la liste.`,
  unknownProgramme: "Ce programme n'existe pas.",
  alreadyConfirmed: 'Le financeur a déjà confirmé ce programme : son budget et sa validité ne changent plus.',
  notConfirmed:
    "Le financeur n'a pas encore confirmé le budget et la validité de ce programme : aucun chèque ne peut être émis avant.",
  confirmationRequired: 'Cochez la case pour confirmer le budget et la validité.',
  onlyFunderConfirms: 'Seules les personnes du financeur confirment son programme.',
  // places and prescribers
  placeRequired: 'Choisissez un lieu dans la liste.',
  unknownPlace: "Ce lieu n'existe pas dans l'annuaire.",
  placeWithoutStructure:
    "Ce lieu n'est rattaché à aucune structure : personne ne pourrait y encaisser les chèques. Rattachez-le d'abord à sa structure.",
  placeAlreadyQualified: 'Ce lieu est déjà qualifié pour ce programme.',
  structureRequired: 'Choisissez une structure dans la liste.',
  unknownStructure: "Cette structure n'existe pas.",
  prescriberAlready: 'Cette structure est déjà prescriptrice de ce programme.',
  // emission and payment
  bookletsInvalid: (v: string) =>
    `Le nombre de carnets « ${v.slice(0, 40)} » doit être un nombre entier entre 1 et ${MAX_BOOKLETS_PER_EMISSION}.`,
  overBudget: (asked: string, left: string) =>
    `Cette émission coûterait ${asked}, mais il ne reste que ${left} dans le budget du programme.`,
  emissionRequired: 'Choisissez le lot émis que ce paiement règle.',
  unknownEmission: "Ce lot n'existe pas dans ce programme.",
  emissionAlreadyPaid: 'Le paiement de ce lot est déjà enregistré.',
  paymentAmountInvalid: (v: string) =>
    `Le montant payé « ${v.slice(0, 40)} » n'est pas un montant. Écrivez par exemple 500 ou 500,00.`,
  paymentAmountMismatch: (paid: string, due: string) =>
    `Le montant payé (${paid}) doit être égal à la valeur du lot (${due}) : Maillage n'enregistre que des lots payés entièrement.`,
  referenceRequired: 'Indiquez la référence du paiement (numéro de mandat ou de virement).',
  referenceTooLong: 'La référence du paiement doit avoir au plus 100 caractères.',
  referenceReused: (ref: string) =>
    `La référence « ${ref} » est déjà celle d'un autre paiement de ce programme.`,
  // allocation, distribution, cancellation of booklets
  unknownBooklet: "Ce carnet n'existe pas.",
  bookletNotPrescriber: "Cette structure n'est pas prescriptrice de ce programme.",
  bookletAlreadyAllocated: (structure: string) => `Ce carnet est déjà confié à « ${structure} ».`,
  bookletNotAllocated: "Ce carnet n'est confié à aucun prescripteur : il ne peut pas encore être remis.",
  bookletAlreadyDistributed: (day: string) => `Ce carnet a déjà été remis à une personne le ${day}.`,
  bookletCancelled: (day: string) => `Ce carnet a été annulé le ${day}.`,
  bookletAlreadyCancelled: (day: string) => `Ce carnet est déjà annulé depuis le ${day}.`,
  bookletExpired: (day: string) =>
    `Ce carnet n'est plus valable : ses chèques payaient une aide donnée au plus tard le ${day}.`,
  bookletNotPaid:
    "Le financeur n'a pas encore payé ce carnet : les lieux refuseraient ses chèques. Attendez que la coordination enregistre le paiement.",
  bookletsToAllocateInvalid: (v: string) =>
    `Le nombre de carnets à confier « ${v.slice(0, 40)} » doit être un nombre entier positif.`,
  notEnoughInStock: (asked: number, left: number) =>
    `Vous demandez ${asked} carnet${asked > 1 ? 's' : ''}, mais il n'en reste que ${left} en stock.`,
  declarationRequired:
    'Cochez la case : vous déclarez que la personne habite dans le périmètre du programme. C’est la condition pour lui remettre un carnet.',
  ageBandUnknown: "Cette tranche d'âge n'existe pas dans la liste.",
  communeUnknown: (v: string) =>
    `La commune « ${v.slice(0, 80)} » n'est pas reconnue. Écrivez son nom ou son code postal, par exemple Saran ou 45770.`,
  communeOutsidePerimeter: (name: string) =>
    `${name} n'est pas dans le périmètre du programme : la personne ne peut pas recevoir ce carnet.`,
  reasonRequired: "Indiquez la raison de l'annulation (perte, vol, erreur…).",
  reasonTooLong: 'La raison doit avoir au plus 300 caractères.',
  // redemption
  codeMissing: 'Tapez le code du chèque : 14 caractères, chiffres et lettres.',
  codeCharacter: (c: string, position: number) =>
    `Le caractère « ${c} » (position ${position}) n'existe pas dans les codes. Les codes n'utilisent que des chiffres et les lettres A à Z sauf I, L, O et U.`,
  codeLength: (n: number) =>
    `Un code a 14 caractères ; vous en avez tapé ${n}. Vérifiez qu'il n'en manque pas ou qu'il n'y en a pas en trop.`,
  codeCheck: 'Une lettre est mal recopiée : vérifiez le code caractère par caractère.',
  unknownCode: 'Ce code ne correspond à aucun chèque. Vérifiez chaque caractère avec la personne.',
  tooManyGuesses:
    'Trop de codes inconnus ont été tapés. Pour protéger les chèques, réessayez plus tard (dans une heure, ou demain pour ce lieu) ou appelez la coordination du réseau.',
  alreadyRedeemed: (day: string, place: string) => `Ce chèque a déjà été encaissé le ${day} à « ${place} ».`,
  voucherExpired: (day: string) =>
    `Ce chèque n'est plus valable : les chèques de ce programme devaient être encaissés au plus tard le ${day}.`,
  programmeClosed:
    'Ce programme est clos : ses chèques restants ont expiré et son avoir est établi. Plus rien ne peut être émis, payé, remis, encaissé ni annulé pour ce programme.',
  voucherNotYetValid: (day: string) => `Ce chèque n'est valable qu'à partir du ${day}.`,
  servedAfterValidity: (day: string) =>
    `Ce chèque paie une aide donnée au plus tard le ${day} : la date de l'aide est trop tardive.`,
  servedBeforeValidity: (day: string) =>
    `Ce chèque paie une aide donnée à partir du ${day} : la date de l'aide est trop ancienne.`,
  voucherNotPaid:
    "Ce chèque n'est pas encore utilisable : le financeur n'a pas encore payé ce lot. Il ne peut pas être encaissé.",
  voucherNotDistributed:
    "Ce chèque n'a pas été remis à une personne par un prescripteur : il ne peut pas être encaissé.",
  voucherCancelled: (day: string) =>
    `Ce chèque a été annulé le ${day} (carnet perdu ou volé) : il ne peut pas être encaissé.`,
  notForThisPlace: (programme: string) =>
    `Ce chèque n'est pas accepté dans ce lieu : il fait partie du programme « ${programme} », pour lequel ce lieu n'est pas qualifié.`,
  placeRequiredForRedemption: 'Choisissez le lieu où l’aide a été donnée.',
  notYourPlace: "Ce lieu n'est pas un lieu de votre structure qualifié pour le pass numérique.",
  needsRequired: "Cochez au moins un besoin : ce que le chèque a payé (l'aide donnée).",
  needUnknown: (v: string) => `Le besoin « ${v.slice(0, 60)} » n'existe pas dans la liste.`,
  servedOnInvalid: (v: string) =>
    `La date de l'aide « ${v.slice(0, 40)} » n'est pas une date. Écrivez-la comme 15/03/2027.`,
  servedOnFuture: "La date de l'aide ne peut pas être dans le futur.",
  keyReusedForOtherVoucher:
    'Ce formulaire a déjà servi pour un autre chèque. Tapez le code du nouveau chèque et validez à nouveau.',
  replayOfCancelled: (day: string) =>
    `Cet encaissement a été annulé le ${day}. Pour encaisser ce chèque, tapez son code à nouveau et validez.`,
  unknownRedemption: "Cet encaissement n'existe pas.",
  redemptionAlreadyCancelled: 'Cet encaissement est déjà annulé.',
  cancellationTooLate:
    'Plus de 24 heures ont passé : seule la coordination du réseau peut annuler cet encaissement, avec une raison. Écrivez-lui.',
} as const;

/**
 * A form's request key (a hidden field drawn when the form was shown), or null when it is not one the
 * server could have drawn: such a request is simply not replayed.
 */
export const requestKeyOf = (text: string | undefined): string | null => {
  const key = (text ?? '').trim();
  return /^[A-Za-z0-9_-]{8,100}$/.test(key) ? key : null;
};
