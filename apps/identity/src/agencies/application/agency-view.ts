import type { Agency } from '../domain/agency.js';

/** An agency with the client id its systems authenticate with (never a secret). */
export interface AgencyView {
  agency: Agency;
  clientId: string | null;
}
