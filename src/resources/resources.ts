import { foldForSearch } from '../shared/text.ts';

/**
 * The resource bank's vocabulary and checks (decision 0042): themes mapped to La Base du numérique
 * d'intérêt général's, licences and report reasons in La Base's own values, the form's checks, and the
 * file check that reads the bytes (magic numbers), not only the name.
 */

/**
 * Maillage's themes, each with the value of La Base's `Theme` enum (its Prisma schema,
 * apps/web/prisma/schema.prisma, `@map`) it corresponds to: a resource exported to La Base keeps them.
 */
export const RESOURCE_THEMES = [
  { value: 'demarches', label: 'Démarches en ligne', laBase: 'aides_aux_demarches_administratives' },
  { value: 'prise_en_main', label: 'Prise en main des outils', laBase: 'maitrise_des_outils_numeriques' },
  { value: 'internet', label: 'Naviguer sur internet', laBase: 'navigation_sur_internet' },
  {
    value: 'communication',
    label: 'Courriels, réseaux sociaux et communication',
    laBase: 'reseaux_sociaux_et_communication',
  },
  { value: 'securite', label: 'Sécurité et arnaques', laBase: 'risques_cyber_et_protection' },
  { value: 'donnees', label: 'Données personnelles', laBase: 'donnees' },
  { value: 'sante', label: 'Santé', laBase: 'numerique_en_sante' },
  { value: 'emploi', label: 'Emploi et entrepreneuriat', laBase: 'emploi_et_entrepreunariat' },
  { value: 'parentalite', label: 'Parentalité', laBase: 'parentalite' },
  {
    value: 'diagnostic',
    label: 'Diagnostic des compétences',
    laBase: 'diagnostic_de_competences_numeriques',
  },
  { value: 'materiel', label: 'Matériel reconditionné', laBase: 'materiel_reconditionne' },
  { value: 'sobriete', label: 'Sobriété numérique', laBase: 'sobriete_numerique' },
  { value: 'accessibilite', label: 'Accessibilité', laBase: 'accessibilite' },
  { value: 'mobilite', label: 'Mobilités', laBase: 'mobilites' },
  {
    value: 'intelligence_artificielle',
    label: 'Intelligence artificielle',
    laBase: 'intelligence_artificielle',
  },
  { value: 'medias', label: 'Éducation aux médias', laBase: 'education_aux_medias' },
  { value: 'citoyennete', label: 'Citoyenneté et engagement', laBase: 'citoyennete_et_engagement' },
  { value: 'loisirs', label: 'Loisirs et création', laBase: 'loisirs_et_creations_numeriques' },
] as const;
export type ResourceTheme = (typeof RESOURCE_THEMES)[number]['value'];

export const RESOURCE_KINDS = [
  { value: 'tutorial', label: 'Tutoriel', laBase: 'resource_pedagogique' },
  { value: 'guide', label: 'Guide', laBase: 'methodologie' },
  { value: 'video', label: 'Vidéo', laBase: 'video_webinaire' },
  { value: 'file', label: 'Fichier', laBase: null },
  { value: 'link', label: 'Lien', laBase: null },
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number]['value'];

/** La Base's `ResourceLicence` values, as it stores them. */
export const RESOURCE_LICENCES = [
  { value: 'etalab_2_0', label: 'Licence Ouverte 2.0 (Etalab)' },
  { value: 'cc_by_sa_4_0', label: 'CC BY-SA 4.0' },
  { value: 'cc_by_nc_sa_4_0', label: 'CC BY-NC-SA 4.0' },
  { value: 'no_licence', label: 'Pas de licence (tous droits réservés)' },
] as const;
export type ResourceLicence = (typeof RESOURCE_LICENCES)[number]['value'];

/** Who the resource is for; La Base's `professionalSectors` or `beneficiaries` value beside. */
export const RESOURCE_AUDIENCES = [
  { value: 'professionals', label: 'Les médiateurs et aidants', laBase: 'aidants_et_mediateurs_numeriques' },
  { value: 'everyone', label: 'Les personnes accompagnées', laBase: 'tous_publics' },
  { value: 'trainers', label: 'Les formateurs et animateurs d’ateliers', laBase: 'autres_professionnels' },
] as const;
export type ResourceAudience = (typeof RESOURCE_AUDIENCES)[number]['value'];

/** La Base's `ResourceReportReason` values kept: the two that the resource's structure can fix. */
export const REPORT_REASONS = [
  { value: 'outdated', label: 'Obsolète (plus à jour)' },
  { value: 'errors', label: 'Erreur dans le contenu' },
] as const;
export type ReportReason = (typeof REPORT_REASONS)[number]['value'];

export const labelOf = <T extends { value: string; label: string }>(list: readonly T[], value: string) =>
  list.find((x) => x.value === value)?.label ?? value;

export const TITLE_MAX = 200;
export const SUMMARY_MAX = 2000;
export const THEMES_MAX = 5;
export const REPORT_TEXT_MAX = 1000;
export const REPORT_ANSWER_MAX = 500;
export const COLLECTION_NAME_MAX = 120;
const FILE_NAME_MAX = 200;

/** What the share and edit forms send (strings as posted). */
export interface ResourceForm {
  title: string;
  summary: string;
  kind: string;
  themes: string[];
  licence: string;
  audience: string;
  isPublic: boolean;
  url: string;
}

export interface ResourceValues {
  title: string;
  summary: string;
  kind: ResourceKind;
  themes: ResourceTheme[];
  licence: ResourceLicence;
  audience: ResourceAudience;
  isPublic: boolean;
  url: string | null;
}

/** A problem of the form: the field's name (as posted) and a French message that names it. */
export interface ResourceIssue {
  field: string;
  message: string;
}

const oneOf = <T extends { value: string }>(list: readonly T[], value: string): T['value'] | undefined =>
  list.find((x) => x.value === value)?.value;

/** An http(s) address, or a French message naming the field. */
export function checkLink(raw: string): { ok: true; url: string } | { ok: false; message: string } {
  const text = raw.trim();
  const refuse = {
    ok: false as const,
    message: `Lien : donnez une adresse web complète qui commence par https:// ou http:// (« ${[...text].slice(0, 40).join('')} » n’en est pas une).`,
  };
  if (!/^https?:\/\//i.test(text) || text.length > 2000) return refuse;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return refuse;
  if (url.username || url.password)
    return {
      ok: false,
      message: 'Lien : l’adresse ne doit pas contenir de nom d’utilisateur ni de mot de passe.',
    };
  return { ok: true, url: url.href };
}

/** Checks the form; `withLink`: the resource is a link (its address required), else a file. */
export function checkResourceForm(
  form: ResourceForm,
  content: 'link' | 'file' | 'either',
): { ok: true; value: ResourceValues } | { ok: false; issues: ResourceIssue[] } {
  const issues: ResourceIssue[] = [];
  const title = form.title.trim().replace(/\s+/g, ' ');
  if (!title) issues.push({ field: 'titre', message: 'Titre : donnez un titre à la ressource.' });
  else if ([...title].length > TITLE_MAX)
    issues.push({ field: 'titre', message: `Titre : ${TITLE_MAX} caractères au plus.` });
  const summary = form.summary.trim();
  if (!summary)
    issues.push({
      field: 'resume',
      message: 'Résumé : dites en quelques mots ce que contient la ressource.',
    });
  else if ([...summary].length > SUMMARY_MAX)
    issues.push({ field: 'resume', message: `Résumé : ${SUMMARY_MAX} caractères au plus.` });
  const kind = oneOf(RESOURCE_KINDS, form.kind);
  if (!kind)
    issues.push({ field: 'genre', message: 'Genre : choisissez tutoriel, guide, vidéo, fichier ou lien.' });
  const themes = [...new Set(form.themes)];
  const known = themes.map((t) => oneOf(RESOURCE_THEMES, t)).filter((t): t is ResourceTheme => !!t);
  if (known.length !== themes.length)
    issues.push({ field: 'themes', message: 'Thèmes : un des thèmes choisis n’existe pas.' });
  else if (known.length === 0)
    issues.push({ field: 'themes', message: 'Thèmes : choisissez au moins un thème.' });
  else if (known.length > THEMES_MAX)
    issues.push({ field: 'themes', message: `Thèmes : ${THEMES_MAX} thèmes au plus.` });
  const licence = oneOf(RESOURCE_LICENCES, form.licence);
  if (!licence) issues.push({ field: 'licence', message: 'Licence : choisissez une licence dans la liste.' });
  const audience = oneOf(RESOURCE_AUDIENCES, form.audience);
  if (!audience)
    issues.push({ field: 'public', message: 'Pour qui : choisissez à qui s’adresse la ressource.' });
  let url: string | null = null;
  if (content === 'link' || (content === 'either' && form.url.trim())) {
    const link = checkLink(form.url);
    if (link.ok) url = link.url;
    else issues.push({ field: 'lien', message: link.message });
  }
  if (issues.length || !kind || !licence || !audience) return { ok: false, issues };
  return {
    ok: true,
    value: { title, summary, kind, themes: known, licence, audience, isPublic: form.isPublic, url },
  };
}

/** What the search reads: title and summary folded as people type (accents off, lowercase). */
export const searchTextOf = (title: string, summary: string) => foldForSearch(`${title} ${summary}`);

/** The words of a search, folded; at most 8, each at least 2 characters. */
export function searchWords(query: string): string[] {
  return [...new Set(foldForSearch(query).split(' '))].filter((w) => w.length >= 2).slice(0, 8);
}

// --- files ---

/** A file type accepted, with the check its first bytes must pass. */
interface FileType {
  label: string;
  contentType: string;
  matches: (bytes: Uint8Array) => boolean;
}

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0) =>
  bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));
const containsAscii = (bytes: Uint8Array, text: string) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(text, 0, 'latin1');

const ZIP = [0x50, 0x4b, 0x03, 0x04];
/** An OpenDocument or EPUB file: a zip whose first entry, `mimetype`, holds this type. */
const zipWithMimetype = (type: string) => (b: Uint8Array) =>
  startsWith(b, ZIP) && startsWith(b, ascii(`mimetype${type}`), 30);
/** An Office Open XML file: a zip that names its parts (word/, xl/, ppt/). */
const ooxml = (part: string) => (b: Uint8Array) =>
  startsWith(b, ZIP) && containsAscii(b, '[Content_Types].xml') && containsAscii(b, part);

/** Text: UTF-8, no NUL byte, nothing a browser could take for a page or an image (checked apart). */
function isText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The accepted types by extension (lowercase, without the dot). Anything else is refused. */
export const FILE_TYPES: Readonly<Record<string, FileType>> = {
  pdf: { label: 'PDF', contentType: 'application/pdf', matches: (b) => startsWith(b, ascii('%PDF-')) },
  png: {
    label: 'image PNG',
    contentType: 'image/png',
    matches: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47]),
  },
  jpg: { label: 'image JPEG', contentType: 'image/jpeg', matches: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  jpeg: { label: 'image JPEG', contentType: 'image/jpeg', matches: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  webp: {
    label: 'image WebP',
    contentType: 'image/webp',
    matches: (b) => startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8),
  },
  mp4: { label: 'vidéo MP4', contentType: 'video/mp4', matches: (b) => startsWith(b, ascii('ftyp'), 4) },
  webm: {
    label: 'vidéo WebM',
    contentType: 'video/webm',
    matches: (b) => startsWith(b, [0x1a, 0x45, 0xdf, 0xa3]),
  },
  mp3: {
    label: 'son MP3',
    contentType: 'audio/mpeg',
    matches: (b) => startsWith(b, ascii('ID3')) || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0),
  },
  odt: {
    label: 'texte OpenDocument',
    contentType: 'application/vnd.oasis.opendocument.text',
    matches: zipWithMimetype('application/vnd.oasis.opendocument.text'),
  },
  ods: {
    label: 'tableur OpenDocument',
    contentType: 'application/vnd.oasis.opendocument.spreadsheet',
    matches: zipWithMimetype('application/vnd.oasis.opendocument.spreadsheet'),
  },
  odp: {
    label: 'présentation OpenDocument',
    contentType: 'application/vnd.oasis.opendocument.presentation',
    matches: zipWithMimetype('application/vnd.oasis.opendocument.presentation'),
  },
  epub: {
    label: 'livre EPUB',
    contentType: 'application/epub+zip',
    matches: zipWithMimetype('application/epub+zip'),
  },
  docx: {
    label: 'document Word',
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    matches: ooxml('word/'),
  },
  xlsx: {
    label: 'classeur Excel',
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    matches: ooxml('xl/'),
  },
  pptx: {
    label: 'présentation PowerPoint',
    contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    matches: ooxml('ppt/'),
  },
  txt: { label: 'texte', contentType: 'text/plain; charset=utf-8', matches: isText },
  md: { label: 'texte', contentType: 'text/plain; charset=utf-8', matches: isText },
  csv: { label: 'tableau CSV', contentType: 'text/csv; charset=utf-8', matches: isText },
};

/** Extensions refused with their reason: pages and images that run code, and programs. */
const RUNS_CODE = new Set([
  'html',
  'htm',
  'xhtml',
  'shtml',
  'mht',
  'mhtml',
  'svg',
  'svgz',
  'xml',
  'xsl',
  'hta',
  'js',
  'mjs',
  'exe',
  'msi',
  'com',
  'bat',
  'cmd',
  'scr',
  'pif',
  'cpl',
  'dll',
  'ps1',
  'vbs',
  'vbe',
  'wsf',
  'jar',
  'apk',
  'app',
  'dmg',
  'deb',
  'rpm',
  'sh',
  'bash',
  'run',
  'bin',
  'elf',
  'lnk',
  'php',
  'py',
  'pl',
]);

/** Programs, whatever their name says: Windows (MZ), Linux (ELF), macOS (Mach-O), scripts (#!). */
function looksExecutable(b: Uint8Array): boolean {
  return (
    startsWith(b, ascii('MZ')) ||
    startsWith(b, [0x7f, 0x45, 0x4c, 0x46]) ||
    startsWith(b, [0xfe, 0xed, 0xfa, 0xce]) ||
    startsWith(b, [0xfe, 0xed, 0xfa, 0xcf]) ||
    startsWith(b, [0xce, 0xfa, 0xed, 0xfe]) ||
    startsWith(b, [0xcf, 0xfa, 0xed, 0xfe]) ||
    startsWith(b, [0xca, 0xfe, 0xba, 0xbe]) ||
    startsWith(b, ascii('#!'))
  );
}

/** A page or an SVG image, as a browser sniffing the first bytes would take it. */
function looksLikeMarkup(b: Uint8Array): boolean {
  const head = Buffer.from(b.buffer, b.byteOffset, Math.min(b.byteLength, 1024)).toString('latin1');
  return /<\s*(!doctype|html|head|body|script|svg|iframe|object|embed|\?xml|!--)/i.test(head);
}

const REFUSED_RUNS_CODE =
  'les pages web (HTML), les images SVG et les programmes ne sont pas acceptés : ils pourraient agir sur l’ordinateur de la personne qui les ouvre. Envoyez plutôt un PDF.';

/** A file name that is safe to show and to send back: no folders, no control characters, 200 characters. */
export function cleanFileName(name: string): string {
  const base = (name.split(/[\\/]/).at(-1) ?? '').replace(/[\p{Cc}\p{Cf}"]/gu, '').trim();
  const chars = [...base];
  if (chars.length <= FILE_NAME_MAX) return base || 'fichier';
  const dot = base.lastIndexOf('.');
  const ext = dot > 0 ? base.slice(dot) : '';
  return chars.slice(0, FILE_NAME_MAX - [...ext].length).join('') + ext;
}

export type FileCheck =
  | { ok: true; fileName: string; contentType: string }
  | { ok: false; message: string; tooLarge?: boolean };

/**
 * Checks an uploaded file: not empty, within the limit, an accepted extension, and bytes that say the
 * same as the extension (a program or a page renamed `.pdf` is refused). Messages name the field.
 */
export function checkFile(name: string, bytes: Uint8Array, maxBytes: number): FileCheck {
  const fileName = cleanFileName(name);
  const shown = `« ${[...fileName].slice(0, 60).join('')} »`;
  if (bytes.byteLength === 0) return { ok: false, message: `Fichier : ${shown} est vide.` };
  if (bytes.byteLength > maxBytes)
    return {
      ok: false,
      tooLarge: true,
      message: `Fichier : ${shown} dépasse ${formatBytes(maxBytes)}, la taille maximale. Réduisez-le (un PDF compressé, une vidéo plus courte) ou partagez un lien.`,
    };
  const dot = fileName.lastIndexOf('.');
  const ext = dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
  if (RUNS_CODE.has(ext)) return { ok: false, message: `Fichier : ${shown} refusé, ${REFUSED_RUNS_CODE}` };
  if (looksExecutable(bytes) || looksLikeMarkup(bytes))
    return {
      ok: false,
      message: `Fichier : ${shown} refusé, son contenu est celui d’une page web, d’une image SVG ou d’un programme, quel que soit son nom : ${REFUSED_RUNS_CODE}`,
    };
  const type = FILE_TYPES[ext];
  if (!type)
    return {
      ok: false,
      message: `Fichier : le type de ${shown} n’est pas accepté. Types acceptés : PDF, images PNG, JPEG et WebP, vidéos MP4 et WebM, MP3, documents OpenDocument, Word, Excel, PowerPoint, EPUB, textes (TXT, MD, CSV).`,
    };
  if (!type.matches(bytes))
    return {
      ok: false,
      message: `Fichier : ${shown} n’est pas un vrai fichier ${type.label} (son contenu ne correspond pas à son extension « .${ext} »). Enregistrez-le de nouveau depuis le logiciel qui l’a créé.`,
    };
  return { ok: true, fileName, contentType: type.contentType };
}

/** "10 Mo", "512 ko". */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) {
    const mb = n / 1024 / 1024;
    return `${Number.isInteger(mb) ? mb : mb.toFixed(1).replace('.', ',')} Mo`;
  }
  return `${Math.max(1, Math.round(n / 1024))} ko`;
}

/** The Content-Disposition of a download: attachment, an ASCII name, and the UTF-8 name (RFC 6266). */
export function attachmentHeader(fileName: string): string {
  const fallback =
    fileName
      .normalize('NFD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/["\\;]/g, '_') || 'fichier';
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
