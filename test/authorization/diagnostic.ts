import * as diagnosticService from '../../src/diagnostic/diagnostic.service.ts';
import { ANY_MEMBER, COORDINATOR, type DomainAccess, EVERYONE } from './roles.ts';

/** A diagnostic of version 1 (the default questionnaire) without answers: the token "MQ" is "1". */
const TOKEN = diagnosticService.encodeDiagnosticToken({ version: 1, answers: {} });

/**
 * Authorisation expectations of the needs diagnostic: the questions and the result are for
 * everybody, signed in or not (decision record 0023 lists them as public; the professional's notes are
 * decided inside the page by `adviseFromDiagnostic`); the questionnaire's versions are the coordinator's.
 */
export const access: DomainAccess = {
  routes: {
    'GET /diagnostic': { who: EVERYONE },
    'GET /diagnostic/question/:n': { who: EVERYONE, sample: `/diagnostic/question/1?d=${TOKEN}` },
    'GET /diagnostic/repondre': { who: EVERYONE, sample: `/diagnostic/repondre?d=${TOKEN}&n=1&r=oui` },
    'GET /diagnostic/lieu': { who: EVERYONE, sample: `/diagnostic/lieu?d=${TOKEN}` },
    'GET /diagnostic/resultat': { who: EVERYONE, sample: `/diagnostic/resultat?d=${TOKEN}` },
    'GET /diagnostic/questionnaire.schema.json': { who: EVERYONE },
    'GET /diagnostic/versions': { who: COORDINATOR },
    'GET /diagnostic/versions/:version': { who: COORDINATOR, sample: '/diagnostic/versions/1' },
    'POST /diagnostic/versions': { who: COORDINATOR },
    'POST /diagnostic/versions/:version/activer': {
      who: COORDINATOR,
      sample: '/diagnostic/versions/1/activer',
    },
  },
  functions: {
    listDiagnosticVersions: COORDINATOR,
    exportDiagnosticVersion: COORDINATOR,
    uploadDiagnosticVersion: COORDINATOR,
    activateDiagnosticVersion: COORDINATOR,
    adviseFromDiagnostic: ANY_MEMBER,
    getActiveQuestionnaire: EVERYONE,
    openDiagnostic: EVERYONE,
    showDiagnosticResult: EVERYONE,
  },
  services: [diagnosticService],
};
