import { DomainError } from '../shared/domain-error.ts';
import { MESSAGES, type NetworkRole, type StructureRole } from './accounts.ts';

/**
 * The one policy module: every service function that needs a decision is listed here with who may call
 * it. Services call `authorize` before doing anything; routes only redirect anonymous visitors to the
 * sign-in page. The authorisation matrix test iterates over POLICY, so a function missing here is a
 * failing test, not a hole.
 */
export type Actor =
  | { kind: 'anonymous' }
  /** The command line on the server: whoever can run it already holds the database. */
  | { kind: 'system' }
  | {
      kind: 'person';
      personId: string;
      networkRole: NetworkRole | null;
      memberships: readonly { structureId: string; role: StructureRole }[];
      /** The funder organisations the person belongs to (decision 0024); absent means none. */
      funderIds?: readonly string[];
    };

/** Who acts before anyone is known: a visitor whose key is a cookie, a password, a code or a mailed link. */
export const ANONYMOUS: Actor = { kind: 'anonymous' };

/** Who acts, for the audit log: the person's id, or nobody (the command line, an anonymous visitor). */
export function actorId(actor: Actor): string | null {
  return actor.kind === 'person' ? actor.personId : null;
}

/** How the audit log names who acts, without naming a person: their id says who. */
export function actorLabel(actor: Actor): string {
  return actor.kind === 'person' ? 'personne' : actor.kind === 'system' ? 'cli' : 'anonyme';
}

export type Rule =
  /** Anybody, signed in or not (sign-in, link requests, token holders). */
  | 'anyone'
  /** The command line only. */
  | 'system'
  /** A signed-in person acting on their own account. */
  | 'self'
  /**
   * A signed-in person of the network acting for themselves: any account but a volunteer's (decision
   * 0044: a volunteer reaches nothing of the network's programmes).
   */
  | 'network_person'
  /** A volunteer acting on their own profile and proposals (decision 0044), and nobody else. */
  | 'volunteer'
  /** The network's coordinators (and the command line). */
  | 'coordinator'
  /** Coordinators, and administrators of the structure concerned. */
  | 'structure_admin'
  /**
   * Administrators of the structure concerned only, not coordinators: the structure's API tokens open
   * its records, which coordinators do not see (decision 0040).
   */
  | 'structure_admin_only'
  /** Coordinators, and any member of the structure concerned. */
  | 'structure_member'
  /**
   * Members of the structure concerned only, not coordinators: a person's referrals are seen by the
   * structures involved and by nobody else (the coordinator sees them in aggregate only).
   */
  | 'structure_member_only'
  /** Any signed-in person who belongs to at least one structure, or a coordinator. */
  | 'any_member'
  /** Coordinators, and the people attached to the funder organisation concerned (decision 0024). */
  | 'funder_member'
  /** The people attached to the funder organisation concerned only, not coordinators (decision 0037). */
  | 'funder_member_only';

/** What a decision may concern: a structure, or a funder organisation. */
export interface Scope {
  structureId?: string;
  funderId?: string;
}

export const POLICY = {
  createCoordinator: 'system',
  listAccounts: 'coordinator',
  inviteToStructure: 'structure_admin',
  describeInvitation: 'anyone',
  acceptInvitation: 'anyone',
  signInWithPassword: 'anyone',
  requestSignInLink: 'anyone',
  signInWithLink: 'anyone',
  verifySecondFactor: 'anyone',
  requestPasswordReset: 'anyone',
  isResetLinkValid: 'anyone',
  resetPassword: 'anyone',
  /** The session of a cookie: every request resolves its own before anyone is known. */
  resolveSession: 'anyone',
  signOut: 'anyone',
  /** The installation's secrets: the server's own plumbing (CSRF, signed links), never a person. */
  installationSecret: 'system',
  startTotpEnrolment: 'self',
  confirmTotpEnrolment: 'self',
  signOutEverywhere: 'self',
  exportMyData: 'self',
  deleteMyAccount: 'self',
  listOutbox: 'coordinator',
  demoTotpCode: 'system',
  listStructureMembers: 'structure_member',
  // --- open data of activity records (decision 0053): add entries below this line ---
  /** Aggregates only, counts under 5 and what would give them back secret: for everybody. */
  listOpenActivityData: 'anyone',
  readOpenActivityData: 'anyone',
  // --- coverage: add entries below this line ---
  /** The public map and figures: population beyond reach, no internal identifiers. */
  analyseTerritoryCoverage: 'anyone',
  analyseNetworkCoverage: 'coordinator',
  importCoverageWeights: 'coordinator',
  // --- search: add entries below this line ---
  searchPlaces: 'anyone',
  findIndexedPlace: 'anyone',
  /** The communes' outlines and names under a server-drawn map: public data (IGN, Licence Ouverte). */
  mapOutlines: 'anyone',
  // --- communes: add entries below this line ---
  importCommuneGeometry: 'system',
  // --- demonstration (the server's start and the command line): add entries below this line ---
  seedDemoIfFresh: 'system',
  demoAccountsBlockStart: 'system',
  removeDemo: 'system',
  // --- scheduled work (the server's start and cron): add entries below this line ---
  runDueJobs: 'system',
  startJobRunner: 'system',
  // --- operations (readiness and metrics, docs/decisions/0046): add entries below this line ---
  checkReadiness: 'system',
  readOperationalFigures: 'system',
  // --- structures and members: add entries below this line ---
  listStructures: 'coordinator',
  listMyStructures: 'self',
  createStructure: 'coordinator',
  /** Public data only (name, SIRET/RNA, kind, places); members and requests follow their own rules. */
  viewStructure: 'anyone',
  findStructuresByName: 'anyone',
  inviteStructureMember: 'structure_admin',
  changeStructureMemberRole: 'structure_admin',
  describeMemberRemoval: 'structure_admin',
  removeStructureMember: 'structure_admin',
  requestToJoinStructure: 'anyone',
  listJoinRequests: 'structure_admin',
  decideJoinRequest: 'structure_admin',
  /** The coordinator's list: search, filters, sort; editing a structure's name, kind, SIRET, contact. */
  searchNetworkStructures: 'coordinator',
  getStructureForEdit: 'coordinator',
  updateStructure: 'coordinator',
  /** Invitations not yet accepted: seen, sent again (a new link) or withdrawn by those who invite. */
  listStructureInvitations: 'structure_admin',
  resendInvitation: 'structure_admin',
  withdrawInvitation: 'structure_admin',
  // --- place editing and private contacts: add entries below this line ---
  listEditablePlaces: 'any_member',
  getPlaceEditor: 'structure_member',
  proposePlaceChange: 'structure_member',
  confirmPlaceUpToDate: 'structure_member',
  /** A structure's new places and attach requests: its administrators ask, the coordinator decides. */
  startNewPlace: 'structure_admin',
  proposeNewPlace: 'structure_admin',
  findPlacesToAttach: 'structure_admin',
  requestPlaceAttachment: 'structure_admin',
  listMyPlaceRequests: 'any_member',
  viewPrivateContact: 'any_member',
  updatePrivateContact: 'structure_member',
  // --- moderation and freshness: add entries below this line ---
  listModerationQueue: 'coordinator',
  /** Structures' new places and attach requests (moderation/place-requests.service.ts). */
  getNewPlaceReview: 'coordinator',
  decideNewPlace: 'coordinator',
  getAttachRequestReview: 'coordinator',
  decideAttachRequest: 'coordinator',
  getPlaceChangeReview: 'coordinator',
  decidePlaceChange: 'coordinator',
  getErrorReportReview: 'coordinator',
  decideErrorReport: 'coordinator',
  forwardErrorReport: 'coordinator',
  /** The reports forwarded to the person's own structures (none for others). */
  listForwardedReports: 'any_member',
  getForwardedReport: 'structure_member',
  answerForwardedReport: 'structure_member',
  // --- audit and privacy: add entries below this line ---
  viewDataQuality: 'coordinator',
  downloadImportReport: 'coordinator',
  listAuditLog: 'coordinator',
  exportAuditLog: 'coordinator',
  purgePersonalData: 'system',
  // --- diagnostic: add entries below this line ---
  listDiagnosticVersions: 'coordinator',
  exportDiagnosticVersion: 'coordinator',
  uploadDiagnosticVersion: 'coordinator',
  activateDiagnosticVersion: 'coordinator',
  adviseFromDiagnostic: 'any_member',
  /** The questionnaire and its result are for everybody: answers live in the address, never stored. */
  getActiveQuestionnaire: 'anyone',
  openDiagnostic: 'anyone',
  showDiagnosticResult: 'anyone',
  // --- referrals: add entries below this line ---
  prepareOrientation: 'structure_member_only',
  createOrientation: 'structure_member_only',
  listOrientations: 'structure_member_only',
  getOrientation: 'structure_member_only',
  answerOrientation: 'structure_member_only',
  closeOrientation: 'structure_member_only',
  getReferralSheet: 'structure_member_only',
  getParcours: 'structure_member_only',
  exportParcoursData: 'structure_member_only',
  eraseParcoursData: 'structure_member_only',
  orientationStatistics: 'coordinator',
  exportOrientationStatistics: 'coordinator',
  /** The home page: what waits for a structure's answer, and what it sent that waits. */
  orientationsToAnswer: 'structure_member_only',
  sentOrientationsWaiting: 'structure_member_only',
  /** The home page of the coordinator: counts per receiving structure, never an orientation. */
  unansweredOrientationsByStructure: 'coordinator',
  viewOrientationByLink: 'anyone',
  answerOrientationByLink: 'anyone',
  closeOrientationByLink: 'anyone',
  // --- places: add entries below this line ---
  /** The public directory: its size, its pages, a place's sheet, the open-data export. */
  countAllPlaces: 'anyone',
  listPlacesPage: 'anyone',
  getPlace: 'anyone',
  /** A place's public sheet: anyone, within the territory and its margin (docs/decisions/0025). */
  getPublicPlace: 'anyone',
  exportPlaces: 'anyone',
  /** Every page says whether demonstration places are shown. */
  hasDemoPlaces: 'anyone',
  /** "Signaler une erreur" needs no account: limited per address and per place instead. */
  reportPlaceError: 'anyone',
  /** The directory's data is the coordinators' to manage: imports, their undoing, merges. */
  importPlacesFile: 'coordinator',
  listPlaceImports: 'coordinator',
  undoPlaceImport: 'coordinator',
  listPlaceMerges: 'coordinator',
  unmergePlace: 'coordinator',
  /** Imports from the web (docs/decisions/0031): the coordinators' too; the runner does the work. */
  viewImportsOverview: 'coordinator',
  uploadPlacesFile: 'coordinator',
  viewUploadMapping: 'coordinator',
  viewImportUpload: 'coordinator',
  mapImportUpload: 'coordinator',
  confirmImportUpload: 'coordinator',
  cancelImportUpload: 'coordinator',
  runImportUploads: 'system',
  purgeImportUploads: 'system',
  /** Merges reviewed on /fusions: both records side by side, confirmed or separated (decision 0029). */
  listMergeReviews: 'coordinator',
  getMergeReview: 'coordinator',
  confirmPlaceMerge: 'coordinator',
  separatePlaceMerge: 'coordinator',
  /** Corrections of other sources' places, listed for their maintainers (decision 0059). */
  listSourceCorrections: 'coordinator',
  downloadSourceCorrections: 'coordinator',
  // --- funders: add entries below this line ---
  listFunders: 'coordinator',
  createFunder: 'coordinator',
  getFunder: 'coordinator',
  updateFunder: 'coordinator',
  inviteFunderMember: 'coordinator',
  /** Accounts' half of the invitation: the single-use link that attaches the person once accepted. */
  inviteToFunder: 'coordinator',
  removeFunderMember: 'coordinator',
  recordFunding: 'coordinator',
  endFunding: 'coordinator',
  /** The funder organisations of the signed-in person (none for most people). */
  listMyFunders: 'self',
  /** A funder's page and figures: aggregates only, never personal data. */
  viewFunder: 'funder_member',
  funderFigures: 'funder_member',
  // --- usage figures: add entries below this line ---
  /** Each app server writes its own counts (the runner). */
  flushUsage: 'system',
  /** Anonymous counts per day and kind: no personal data. */
  networkUsage: 'coordinator',
  // --- network messages: add entries below this line ---
  /** The coordinator writes to the network's members: the form, its preview, the send, the sent list. */
  composeNetworkMessage: 'coordinator',
  prepareNetworkMessage: 'coordinator',
  sendNetworkMessage: 'coordinator',
  listNetworkMessages: 'coordinator',
  viewNetworkMessage: 'coordinator',
  // --- call-backs: add entries below this line ---
  /** "Être rappelé" needs no account: limited per address and per phone number instead. */
  prepareCallback: 'anyone',
  requestCallback: 'anyone',
  /** Each person sees their structures' requests; coordinators also the network's and the late ones. */
  listCallbacks: 'any_member',
  markCallback: 'structure_member',
  runCallbackReminders: 'system',
  // --- pass numérique (decision 0037): add entries below this line ---
  /** The coordinators run programmes: set-up, emission, the funder's payments, allocation, printing. */
  programmeFormChoices: 'coordinator',
  createProgramme: 'coordinator',
  addQualifiedPlace: 'coordinator',
  addPrescriber: 'coordinator',
  emitBooklets: 'coordinator',
  recordPayment: 'coordinator',
  allocateBooklets: 'coordinator',
  /** Programmes seen by the coordinators, and by a funder's people for that funder's programmes only. */
  listProgrammes: 'network_person',
  viewProgramme: 'funder_member',
  /** Budget and validity are confirmed by the funder's own people, never by a coordinator for them. */
  confirmProgramme: 'funder_member_only',
  /** A prescriber's booklets: its members see, print, hand out and cancel them (coordinators too). */
  listMyBooklets: 'any_member',
  getBooklet: 'structure_member',
  printBooklets: 'structure_member',
  cancelBooklet: 'structure_member',
  distributeBooklet: 'structure_member_only',
  distributionLetter: 'structure_member',
  /** Redemption is the qualified place's staff's alone; a coordinator undoes a late mistake. */
  myRedemptionPlaces: 'any_member',
  describeVoucher: 'structure_member_only',
  redeemVoucher: 'structure_member_only',
  listRedemptions: 'any_member',
  cancelRedemption: 'structure_member',
  /** The ledger's seal (every server, every second) and its verification (`pass verify`). */
  sealLedger: 'system',
  verifyLedger: 'system',
  /** The demonstration's programme: seeded at the first start, deleted by `demo remove` (demo rows only). */
  seedDemoVouchers: 'system',
  removeDemoVouchers: 'system',
  // --- pass numérique statements (decision 0045): add entries below this line ---
  /** Issued by the command line and the job runner (the 1st of each month). */
  issueStatements: 'system',
  /** A programme's statements: its funder's people and the coordinators, who also record payments. */
  listProgrammeStatements: 'funder_member',
  recordStatementPayment: 'funder_member',
  /** A place's statements: its structure's members (and, through the programme, its funder). */
  listMyStatements: 'any_member',
  viewStatement: 'structure_member',
  // --- pass numérique dashboards (decision 0051): add entries below this line ---
  /** The dashboard page: each section is decided below, by role (aggregates only, never a person). */
  passDashboard: 'network_person',
  /** A programme's figures: the coordinators, and the funder's people for its own programmes. */
  programmeDashboard: 'funder_member',
  /** A prescriber's booklets and a place's redemptions: each member sees their own structures'. */
  prescriberDashboard: 'any_member',
  placeDashboard: 'any_member',
  // --- pass numérique end of validity (decision 0050): add entries below this line ---
  /** Expiry and the prescribers' notice: the command line and the daily job. */
  runEndOfValidity: 'system',
  /** A programme's end: calendar, booklets, credit note and reconciliation, for its funder's people and the coordinators. */
  viewProgrammeClosing: 'funder_member',
  /** Its block on the programme's page (nothing for the others, who see no end figures). */
  programmeClosingBlock: 'funder_member',
  // --- activity records (decision 0038): add entries below this line ---
  /** A structure's records are its staff's alone: coordinators and funders see figures, never a record. */
  recordActivity: 'structure_member_only',
  listActivities: 'structure_member_only',
  getActivity: 'structure_member_only',
  lastActivityDefaults: 'structure_member_only',
  /** In and out of La Coop (decision 0039): the structure's own records, its staff's alone. */
  describeCoopExchange: 'structure_member_only',
  importCoopExport: 'structure_member_only',
  exportCoop: 'structure_member_only',
  /** The form's places and starting values (last record, orientation, pass numérique redemption). */
  activityForm: 'structure_member_only',
  /** The network's coordination activities (animation, événement, partenariat) are the coordinators'. */
  /**
   * Statistics of activity records (decision 0052), aggregates only: a structure's for its staff and the
   * coordinators, the network's for the coordinators, a funder's (what it funds) for its people and the
   * coordinators.
   */
  structureStatistics: 'structure_member',
  networkStatistics: 'coordinator',
  funderStatistics: 'funder_member',
  /** The annual evaluation report (decision 0056): the coordinators print it for the co-funders. */
  annualReport: 'coordinator',
  /** Read-only links to a funder's statistics (decision 0056): coordinators make and revoke them. */
  listFunderLinks: 'coordinator',
  createFunderLink: 'coordinator',
  revokeFunderLink: 'coordinator',
  /** Whoever holds a live link opens its funder's aggregates (the secret is the key). */
  openFunderLink: 'anyone',
  recordCoordinationActivity: 'coordinator',
  listCoordinationActivities: 'coordinator',
  /** Identified beneficiaries ("personnes suivies"): their structure's staff alone, nobody else. */
  createBeneficiary: 'structure_member_only',
  listBeneficiaries: 'structure_member_only',
  getBeneficiary: 'structure_member_only',
  linkBeneficiaryActivity: 'structure_member_only',
  unlinkBeneficiaryActivity: 'structure_member_only',
  deleteBeneficiary: 'structure_member_only',
  // --- agenda (decision 0041): add entries below this line ---
  /** A structure's workshops are its staff's: they create, change and cancel them and their dates. */
  createWorkshop: 'structure_member_only',
  updateWorkshop: 'structure_member_only',
  cancelWorkshop: 'structure_member_only',
  addWorkshopDates: 'structure_member_only',
  moveWorkshopDate: 'structure_member_only',
  cancelWorkshopDate: 'structure_member_only',
  listStructureWorkshops: 'structure_member_only',
  /** The agenda is public: workshops, dates and counts, never a registered person. */
  getWorkshop: 'anyone',
  listUpcomingWorkshops: 'anyone',
  getAgendaStructure: 'anyone',
  searchAgenda: 'anyone',
  /** Registering needs no account (limited per address and per contact); cancelling holds the link. */
  registerForWorkshop: 'anyone',
  describeRegistrationByToken: 'anyone',
  cancelRegistrationByToken: 'anyone',
  /** A mediator of any structure (or a coordinator) registers someone who has no contact. */
  registerOnBehalf: 'any_member',
  /** Registered people are seen by the workshop's structure alone (not coordinators, not others). */
  listRegistrations: 'structure_member_only',
  removeRegistration: 'structure_member_only',
  recordAttendance: 'structure_member_only',
  runWorkshopReminders: 'system',
  /** The demonstration's agenda: seeded at the first start, deleted by `demo remove` (demo rows only). */
  seedDemoWorkshops: 'system',
  removeDemoWorkshops: 'system',
  /** The network's days (decision 0043): the coordinators run them; the programme is public. */
  createNetworkDay: 'coordinator',
  updateNetworkDay: 'coordinator',
  addNetworkTrack: 'coordinator',
  addNetworkSession: 'coordinator',
  updateNetworkSession: 'coordinator',
  getNetworkSessionForEdit: 'coordinator',
  getNetworkDayForEdit: 'coordinator',
  listNetworkDays: 'coordinator',
  networkDayFormChoices: 'coordinator',
  recordNetworkDayActivity: 'coordinator',
  getNetworkDay: 'anyone',
  listUpcomingNetworkDays: 'anyone',
  seedDemoNetworkDay: 'system',
  removeDemoNetworkDays: 'system',
  /** API tokens (decision 0040): a structure's administrators only give its tools access to its records. */
  listApiTokens: 'structure_admin_only',
  createApiToken: 'structure_admin_only',
  revokeApiToken: 'structure_admin_only',
  /** `GET /api/v1/activites`: the token decides (its structure's records); without one, network figures. */
  listActivitiesWithToken: 'anyone',
  activityAggregates: 'anyone',
  /** The demonstration's year of records: seeded at the first start, deleted by `demo remove`. */
  seedDemoActivities: 'system',
  removeDemoActivities: 'system',
  // --- resource bank (decision 0042): add entries below this line ---
  /** The bank, a resource and its file: anybody, public resources only for those outside the network. */
  listResources: 'anyone',
  getResource: 'anyone',
  downloadResourceFile: 'anyone',
  /** The share form says who may share: the person's structures (none: the page says so). */
  prepareResourceShare: 'self',
  /** A structure's staff share for their own structure; coordinators act on shared ones below. */
  shareResource: 'structure_member_only',
  getResourceForEdit: 'structure_member',
  updateResource: 'structure_member',
  replaceResourceFile: 'structure_member',
  deleteResource: 'structure_member',
  /** "Obsolète / erreur": any member of the network; the sharing structure closes the report. */
  reportResource: 'any_member',
  listResourceReports: 'any_member',
  closeResourceReport: 'structure_member',
  /** Collections: seen by anybody (their resources filtered), made by a structure's staff. */
  listCollections: 'anyone',
  getCollection: 'anyone',
  createCollection: 'structure_member_only',
  changeCollection: 'structure_member',
  renameCollection: 'structure_member',
  prepareCollectionDelete: 'structure_member',
  deleteCollection: 'structure_member',
  seedDemoResources: 'system',
  removeDemoResources: 'system',
  // --- volunteers (decision 0044): add entries below this line ---
  /** The validated missions and a mission's page are public: no volunteer is ever named there. */
  listMissions: 'anyone',
  getMission: 'anyone',
  /** A person signs up alone as a volunteer (an account with the role `volunteer`). */
  signUpVolunteer: 'anyone',
  /** A structure's staff publish missions at their structure's places; the coordinator validates them. */
  missionForm: 'any_member',
  listManagedMissions: 'any_member',
  createMission: 'structure_member_only',
  validateMission: 'coordinator',
  closeMission: 'structure_member',
  /** Volunteers' personal data: the coordinator, who validates them. */
  listVolunteers: 'coordinator',
  validateVolunteer: 'coordinator',
  /** A mission's candidates (ranked, unnamed until proposed) and its proposals: its structure's staff. */
  matchVolunteers: 'structure_member',
  proposeMission: 'structure_member',
  answerApplication: 'structure_member',
  endParticipation: 'structure_member',
  /** The volunteer's own page: profile, missions ranked for them, proposals to answer. */
  myVolunteering: 'volunteer',
  applyToMission: 'volunteer',
  answerProposal: 'volunteer',
  withdrawFromMission: 'volunteer',
  seedDemoVolunteers: 'system',
  removeDemoVolunteers: 'system',
  // --- publication files (docs/decisions/0054): add entries below this line ---
  /** The open-data files and their page: anybody (only public data is in them). */
  listPublicationFiles: 'anyone',
  getPublicationFile: 'anyone',
  /** Generated by the job runner's leader or `places publish`: the system only. */
  generatePublicationFiles: 'system',
  // --- home page: add entries below this line ---
  /** Every signed-in person has a home; each block decides what it shows to whom. */
  showHome: 'self',
} as const satisfies Record<string, Rule>;

export type PolicyFunction = keyof typeof POLICY;

/** Whether the actor may call the function (for a structure, when the rule concerns one). */
export function can(actor: Actor, fn: PolicyFunction, scope: Scope = {}): boolean {
  const rule = POLICY[fn] as Rule;
  if (rule === 'anyone') return true;
  if (actor.kind === 'system') return rule !== 'self';
  if (rule === 'funder_member_only')
    return (
      actor.kind === 'person' &&
      scope.funderId !== undefined &&
      (actor.funderIds ?? []).includes(scope.funderId)
    );
  if (rule === 'system' || actor.kind !== 'person') return false;
  if (rule === 'self') return true;
  if (rule === 'volunteer') return actor.networkRole === 'volunteer';
  if (rule === 'network_person') return actor.networkRole !== 'volunteer';
  if (rule === 'any_member') return actor.networkRole === 'coordinator' || actor.memberships.length > 0;
  if (
    actor.networkRole === 'coordinator' &&
    rule !== 'structure_member_only' &&
    rule !== 'structure_admin_only'
  )
    return true;
  if (rule === 'coordinator') return false;
  if (rule === 'funder_member')
    return scope.funderId !== undefined && (actor.funderIds ?? []).includes(scope.funderId);
  const membership = actor.memberships.find((m) => m.structureId === scope.structureId);
  if (!membership) return false;
  const adminRule = rule === 'structure_admin' || rule === 'structure_admin_only';
  return !adminRule || membership.role === 'structure_admin';
}

/** Throws `forbidden` unless the actor may call the function. */
export function authorize(actor: Actor, fn: PolicyFunction, scope: Scope = {}): void {
  if (!can(actor, fn, scope)) throw new DomainError('forbidden', MESSAGES.forbidden, { function: fn });
}
