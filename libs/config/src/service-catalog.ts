/**
 * The services of Darvazeh and their default HTTP ports. One list for the embedded start,
 * docker-compose, k8s and the tests that check those files agree with the code.
 */
export const SERVICE_CATALOG = {
  'api-gateway': { port: 3000, mirrors: 'GSB/PGSB shared entry and exchange' },
  identity: { port: 3001, mirrors: 'central SSO (agencies, citizens)' },
  'device-registry': { port: 3002, mirrors: 'Hamta: SIM-card device registry' },
  karpoosheh: { port: 3003, mirrors: 'national inbox (Karpoosheh)' },
  'gsb-workflow': { port: 3004, mirrors: 'GSB/PGSB service-request process' },
  'ocsp-responder': { port: 3005, mirrors: 'certificate status (OCSP) and CRL publication' },
} as const;

export type ServiceName = keyof typeof SERVICE_CATALOG;
