// wire format: never rename. Topic names are read by other services, integrators and
// asyncapi.yaml; renaming one silently splits the stream. A breaking change is a new topic.
export const TOPICS = {
  identityPrincipals: 'identity.principals',
  pkiCertificates: 'pki.certificates',
  pkiCrls: 'pki.crls',
  hamtaDevices: 'hamta.devices',
  hamtaSightings: 'hamta.sightings',
  hamtaSubscribers: 'hamta.subscribers',
  karpooshehNotices: 'karpoosheh.notices',
  gsbCatalog: 'gsb.catalog',
  gsbRequests: 'gsb.requests',
  gsbGrants: 'gsb.grants',
  gsbExchanges: 'gsb.exchanges',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

export const ALL_TOPICS: readonly TopicName[] = Object.values(TOPICS);

/** Dead-letter topic of a topic (wire format). */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlt`;
}
