/** Parties: organisations on the ledger, their roles, signing keys and API credentials. */
import type { KeyAuthorization, PartyKeyStatus, PartyRole } from '../../schema/database.js';
import type { RegistrationScheme } from './registration-id.js';

export {
  type KeyAuthorization,
  keyAuthorizations,
  type PartyRole,
  partyRoles,
} from '../../schema/database.js';

export interface Party {
  id: string;
  legalName: string;
  registrationScheme: RegistrationScheme;
  registrationId: string;
  roles: PartyRole[];
  parentPartyId: string | null;
  createdAt: Date;
}

export interface PartyKey {
  keyId: string;
  partyId: string;
  publicKey: Buffer;
  status: PartyKeyStatus;
  custodial: boolean;
  /** How the key was authorized; events it signs carry this mark. */
  authorization: KeyAuthorization;
  createdAt: Date;
  retiredAt: Date | null;
}

export interface ApiKey {
  id: string;
  partyId: string;
  label: string;
  createdAt: Date;
  revokedAt: Date | null;
}

/** Who is acting: the party an API key belongs to. */
export interface Actor {
  partyId: string;
  roles: PartyRole[];
  /** The API key the request authenticated with; four-eyes acts need two different ones. */
  apiKeyId?: string;
}

export const legalNameLengthMax = 300;
export const apiKeyLabelLengthMax = 100;

export function isPlatformAdmin(actor: Actor): boolean {
  return actor.roles.includes('platform_admin');
}

/** Sees every party's events: auditors and the platform's administrators. */
export function seesEverything(actor: Actor): boolean {
  return actor.roles.includes('auditor') || isPlatformAdmin(actor);
}

/** A party manages its own keys; a platform administrator manages anyone's. */
export function mayManage(actor: Actor, partyId: string): boolean {
  return actor.partyId === partyId || isPlatformAdmin(actor);
}
