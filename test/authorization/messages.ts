import * as messagesService from '../../src/messages/messages.service.ts';
import { COORDINATOR, type DomainAccess } from './roles.ts';

const UNKNOWN_MESSAGE = '00000000-0000-4000-8000-000000000000';

/** Authorisation expectations of the coordination's messages to the network: coordinators only. */
export const access: DomainAccess = {
  routes: {
    'GET /messages': { who: COORDINATOR },
    'GET /messages/nouveau': { who: COORDINATOR },
    'POST /messages/nouveau': { who: COORDINATOR },
    'POST /messages/modifier': { who: COORDINATOR },
    'POST /messages/envoyer': { who: COORDINATOR },
    // An unknown message is a 404 for the coordinator, a refusal for everyone else.
    'GET /messages/:id': { who: COORDINATOR, sample: `/messages/${UNKNOWN_MESSAGE}`, status: 404 },
  },
  functions: {
    composeNetworkMessage: COORDINATOR,
    prepareNetworkMessage: COORDINATOR,
    sendNetworkMessage: COORDINATOR,
    listNetworkMessages: COORDINATOR,
    viewNetworkMessage: COORDINATOR,
  },
  services: [messagesService],
};
