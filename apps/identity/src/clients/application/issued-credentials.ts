/** Returned once at creation or rotation; the plain secret exists nowhere else. */
export interface IssuedCredentials {
  clientId: string;
  clientSecret: string;
}
