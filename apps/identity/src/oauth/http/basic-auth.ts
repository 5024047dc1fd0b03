export interface ClientAuthentication {
  clientId: string;
  clientSecret: string;
}

/**
 * Parses `Authorization: Basic …` per RFC 6749 §2.3.1: the id and secret are
 * form-urlencoded before base64, so both are percent-decoded after splitting on the first ':'.
 * Returns undefined for another scheme, 'malformed' when Basic is present but unusable.
 */
export function parseBasicAuth(header: string | undefined): ClientAuthentication | 'malformed' | undefined {
  if (!header) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return /^Basic\b/i.test(header) ? 'malformed' : undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return 'malformed';
  try {
    const plus = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return { clientId: plus(decoded.slice(0, colon)), clientSecret: plus(decoded.slice(colon + 1)) };
  } catch {
    return 'malformed';
  }
}
