import { describe, expect, it } from '@jest/globals';
import { findDeficiencies, type DeficiencyFacts, type RequestDraft } from './deficiencies.js';

const complete: RequestDraft = {
  kind: 'SERVICE',
  environment: 'GSB',
  serviceCode: 'hamta.imei-status',
  system: { name: 'سامانه گمرک', purpose: 'استعلام وضعیت IMEI کالاهای وارداتی', ipAddresses: ['10.20.30.40', '10.20.31.0/24'] },
  letter: { number: '۱۲۳۴/ص/۱۴۰۵', date: '2026-11-01', issuingAgencyId: 'agency-hamta' },
  letterFile: { contentType: 'application/pdf', size: 120_000, sha256: 'a'.repeat(64) },
  contact: { name: 'علی رضایی', email: 'ali@customs.example.ir', phone: '09121234567' },
  connectionEnvironments: null,
  systems: null,
  ipRanges: null,
  credential: null,
};

const facts: DeficiencyFacts = {
  service: { providerAgencyId: 'agency-hamta', environments: ['GSB', 'PGSB'], status: 'ACTIVE' },
  activeGrant: false,
  openRequestId: null,
  connectedEnvironments: [],
  maxLetterBytes: 5 * 1024 * 1024,
  today: '2026-12-07',
};

const codes = (d: Partial<RequestDraft>, f: Partial<DeficiencyFacts> = {}) =>
  findDeficiencies({ ...complete, ...d }, { ...facts, ...f }, 'agency-customs').map((x) => `${x.field}:${x.code}`);

describe('service request deficiencies (steps 11–12)', () => {
  it('a complete request has none', () => {
    expect(codes({})).toEqual([]);
  });

  it('an empty draft lists everything, in form order, each with a Persian message', () => {
    const all = findDeficiencies(
      { ...complete, environment: null, serviceCode: null, system: null, letter: null, letterFile: null, contact: null },
      { ...facts, service: null },
      'agency-customs',
    );
    expect(all.map((x) => x.code)).toEqual([
      'ENVIRONMENT_MISSING',
      'SYSTEM_INCOMPLETE',
      'SYSTEM_INCOMPLETE',
      'SYSTEM_INCOMPLETE',
      'LETTER_NUMBER_MISSING',
      'LETTER_DATE_MISSING',
      'LETTER_ISSUER_MISSING',
      'LETTER_FILE_MISSING',
      'SERVICE_MISSING',
      'CONTACT_NAME_MISSING',
      'CONTACT_EMAIL_MISSING',
      'CONTACT_PHONE_MISSING',
    ]);
    for (const d of all) expect(d.message).toMatch(/[\u0600-\u06ff]/);
  });

  it.each<[string, Partial<RequestDraft>, Partial<DeficiencyFacts>, string]>([
    ['environment not GSB/PGSB', { environment: 'XGSB' }, {}, 'environment:ENVIRONMENT_INVALID'],
    ['system name missing', { system: { ...complete.system, name: ' ' } }, {}, 'system.name:SYSTEM_INCOMPLETE'],
    ['system purpose missing', { system: { ...complete.system, purpose: null } }, {}, 'system.purpose:SYSTEM_INCOMPLETE'],
    ['system IPs missing', { system: { ...complete.system, ipAddresses: [] } }, {}, 'system.ipAddresses:SYSTEM_INCOMPLETE'],
    ['system IP malformed', { system: { ...complete.system, ipAddresses: ['10.0.0.1', '300.1.1.1/8'] } }, {}, 'system.ipAddresses[1]:IP_INVALID'],
    ['letter number missing', { letter: { ...complete.letter, number: '' } }, {}, 'letter.number:LETTER_NUMBER_MISSING'],
    ['letter date malformed', { letter: { ...complete.letter, date: '1405/08/10' } }, {}, 'letter.date:LETTER_DATE_INVALID'],
    ['letter dated in the future', { letter: { ...complete.letter, date: '2027-01-01' } }, {}, 'letter.date:LETTER_DATE_IN_FUTURE'],
    ['letter issuer missing', { letter: { ...complete.letter, issuingAgencyId: null } }, {}, 'letter.issuingAgencyId:LETTER_ISSUER_MISSING'],
    ['letter not issued by the service provider', { letter: { ...complete.letter, issuingAgencyId: 'agency-other' } }, {}, 'letter.issuingAgencyId:LETTER_ISSUER_NOT_PROVIDER'],
    ['letter file missing', { letterFile: null }, {}, 'letter.file:LETTER_FILE_MISSING'],
    ['letter file not an image or PDF', { letterFile: { ...complete.letterFile!, contentType: 'application/zip' } }, {}, 'letter.file:LETTER_FILE_TYPE'],
    ['letter file too large', { letterFile: { ...complete.letterFile!, size: 6 * 1024 * 1024 } }, {}, 'letter.file:LETTER_FILE_TOO_LARGE'],
    ['service not chosen', { serviceCode: null }, {}, 'serviceCode:SERVICE_MISSING'],
    ['service not in the catalog', { serviceCode: 'nope.service' }, { service: null }, 'serviceCode:SERVICE_NOT_IN_CATALOG'],
    ['service suspended', {}, { service: { ...facts.service!, status: 'SUSPENDED' } }, 'serviceCode:SERVICE_NOT_ACTIVE'],
    ['service not offered in the chosen environment', { environment: 'PGSB' }, { service: { ...facts.service!, environments: ['GSB'] } }, 'serviceCode:SERVICE_NOT_OFFERED_IN_ENVIRONMENT'],
    ['contact name missing', { contact: { ...complete.contact, name: '' } }, {}, 'contact.name:CONTACT_NAME_MISSING'],
    ['contact email invalid', { contact: { ...complete.contact, email: 'ali@' } }, {}, 'contact.email:CONTACT_EMAIL_INVALID'],
    ['contact phone invalid', { contact: { ...complete.contact, phone: '12345' } }, {}, 'contact.phone:CONTACT_PHONE_INVALID'],
    ['duplicate of an active grant', {}, { activeGrant: true }, 'serviceCode:DUPLICATE_ACTIVE_GRANT'],
    ['duplicate of an open request', {}, { openRequestId: '0190-x' }, 'serviceCode:DUPLICATE_OPEN_REQUEST'],
  ])('%s', (_name, draft, f, expected) => {
    expect(codes(draft, f)).toEqual([expected]);
  });

  it('an agency cannot request its own service', () => {
    expect(findDeficiencies(complete, facts, 'agency-hamta').map((d) => d.code)).toContain('SERVICE_OWN');
  });

  it.each(['۰۹۱۲۱۲۳۴۵۶۷', '+989121234567', '021-88776655', '+98 21 8877 6655', '(021) 8877 6655 داخلی 204', '031 3222 1100'])('accepts the phone %s', (phone) => {
    expect(codes({ contact: { ...complete.contact, phone } })).toEqual([]);
  });

  it.each(['0912123456', '09121234567890', '021-887766', '0098-91-1234', 'tel'])('rejects the phone %s', (phone) => {
    expect(codes({ contact: { ...complete.contact, phone } })).toEqual(['contact.phone:CONTACT_PHONE_INVALID']);
  });
});

describe('connection request deficiencies', () => {
  const conn: RequestDraft = {
    ...complete,
    kind: 'CONNECTION',
    environment: null,
    serviceCode: null,
    letter: null,
    letterFile: null,
    system: null,
    connectionEnvironments: ['GSB', 'PGSB'],
    systems: [{ name: 'سامانه جامع گمرکی', purpose: 'تبادل اطلاعات با دستگاه‌ها' }],
    ipRanges: ['10.20.0.0/16'],
    credential: { type: 'MTLS_CERTIFICATE', certificateSha256: 'ab'.repeat(32) },
  };
  const c = (d: Partial<RequestDraft>, f: Partial<DeficiencyFacts> = {}) =>
    findDeficiencies({ ...conn, ...d }, { ...facts, service: null, ...f }, 'agency-customs').map((x) => `${x.field}:${x.code}`);

  it('a complete connection request has none', () => expect(c({})).toEqual([]));
  it.each<[string, Partial<RequestDraft>, Partial<DeficiencyFacts>, string]>([
    ['no environment', { connectionEnvironments: [] }, {}, 'connectionEnvironments:ENVIRONMENT_MISSING'],
    ['unknown environment', { connectionEnvironments: ['X'] }, {}, 'connectionEnvironments[0]:ENVIRONMENT_INVALID'],
    ['already connected', {}, { connectedEnvironments: ['PGSB'] }, 'connectionEnvironments[1]:DUPLICATE_ACTIVE_CONNECTION'],
    ['an open connection request exists', {}, { openRequestId: 'r-1' }, 'connectionEnvironments:DUPLICATE_OPEN_REQUEST'],
    ['no systems', { systems: [] }, {}, 'systems:SYSTEM_INCOMPLETE'],
    ['a system without purpose', { systems: [{ name: 'x', purpose: '' }] }, {}, 'systems[0].purpose:SYSTEM_INCOMPLETE'],
    ['no IP ranges', { ipRanges: [] }, {}, 'ipRanges:IP_RANGES_MISSING'],
    ['a malformed IP range', { ipRanges: ['10.0.0.0/33'] }, {}, 'ipRanges[0]:IP_INVALID'],
    ['no credential', { credential: null }, {}, 'credential.type:CREDENTIAL_MISSING'],
    ['a certificate without fingerprint', { credential: { type: 'MTLS_CERTIFICATE' } }, {}, 'credential.certificateSha256:CREDENTIAL_INVALID'],
    ['client credentials without client id', { credential: { type: 'CLIENT_CREDENTIALS' } }, {}, 'credential.clientId:CREDENTIAL_INVALID'],
    ['contact email invalid', { contact: { ...complete.contact, email: 'x' } }, {}, 'contact.email:CONTACT_EMAIL_INVALID'],
  ])('%s', (_name, draft, f, expected) => {
    expect(c(draft, f)).toEqual([expected]);
  });
});
