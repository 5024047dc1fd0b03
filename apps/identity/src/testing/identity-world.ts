// Wires every use case over the in-memory fakes, as the Nest module does over Postgres.
import { ManualClock } from '../shared/clock.js';
import { RegisterAgencyUseCase } from '../agencies/application/register-agency.use-case.js';
import { RotateAgencySecretUseCase } from '../agencies/application/rotate-agency-secret.use-case.js';
import { DisableAgencyUseCase } from '../agencies/application/disable-agency.use-case.js';
import { CreateServicePrincipalUseCase } from '../clients/application/create-service-principal.use-case.js';
import { EnsureBootstrapAdminUseCase } from '../clients/application/ensure-bootstrap-admin.use-case.js';
import { DisableServicePrincipalUseCase } from '../clients/application/disable-service-principal.use-case.js';
import { EnableServicePrincipalUseCase } from '../clients/application/enable-service-principal.use-case.js';
import { RotateServicePrincipalSecretUseCase } from '../clients/application/rotate-service-principal-secret.use-case.js';
import { IssueClientTokenUseCase } from '../oauth/application/issue-client-token.use-case.js';
import { AccessTokenSigner } from '../signing-keys/application/access-token-signer.js';
import { GetJwksUseCase } from '../signing-keys/application/get-jwks.use-case.js';
import { RotateSigningKeyUseCase } from '../signing-keys/application/rotate-signing-key.use-case.js';
import { JoseKeyPairGenerator } from '../signing-keys/domain/key-material.js';
import { PrivateKeyCipher } from '../signing-keys/domain/private-key-cipher.js';
import { DisableCitizenUseCase } from '../citizens/application/disable-citizen.use-case.js';
import { EnableCitizenUseCase } from '../citizens/application/enable-citizen.use-case.js';
import { RecordSubscriberOwnershipUseCase } from '../citizens/application/record-subscriber-ownership.use-case.js';
import { RegisterCitizenUseCase } from '../citizens/application/register-citizen.use-case.js';
import { RequestOtpUseCase } from '../citizens/application/request-otp.use-case.js';
import { VerifyOtpUseCase } from '../citizens/application/verify-otp.use-case.js';
import { OtpCodeHasher } from '../citizens/domain/otp-code.js';
import {
  CapturingSmsSender,
  FakeOutbox,
  FakeTransactionRunner,
  FixedOtpCodeGenerator,
  InMemoryAgencyRepository,
  InMemoryCitizenRepository,
  InMemoryOtpChallengeRepository,
  InMemoryOtpSendThrottle,
  InMemoryServiceClientRepository,
  InMemorySubscriberOwnershipRegistry,
  InMemorySigningKeyRepository,
  PlainSecretHasher,
  testSettings,
} from './in-memory.js';

export function identityWorld(settings = testSettings()) {
  const clock = new ManualClock(new Date('2025-03-01T08:00:00Z'));
  const tx = new FakeTransactionRunner();
  const outbox = new FakeOutbox();
  const agencies = new InMemoryAgencyRepository();
  const clients = new InMemoryServiceClientRepository();
  const citizens = new InMemoryCitizenRepository();
  const challenges = new InMemoryOtpChallengeRepository();
  const keys = new InMemorySigningKeyRepository();
  const ownerships = new InMemorySubscriberOwnershipRegistry();
  const otpThrottle = new InMemoryOtpSendThrottle(clock, () => settings.otp.resendAfterSeconds);
  tx.stores.push(outbox, agencies.store, clients.store, citizens.store, challenges.store, keys.store, ownerships.store);
  const hasher = new PlainSecretHasher();
  const cipher = new PrivateKeyCipher('unit-test-key-encryption-secret');
  const signer = new AccessTokenSigner(keys, cipher, settings, clock);
  const sms = new CapturingSmsSender();
  const codes = new FixedOtpCodeGenerator();
  const otpHasher = new OtpCodeHasher('unit-test-otp-secret');
  const runner = tx;
  const writer = outbox.asWriter();
  const createPrincipal = new CreateServicePrincipalUseCase(runner, clients, hasher, clock);
  return {
    clock,
    tx,
    outbox,
    agencies,
    clients,
    citizens,
    challenges,
    keys,
    ownerships,
    sms,
    codes,
    settings,
    signer,
    registerAgency: new RegisterAgencyUseCase(runner, agencies, clients, hasher, writer, clock),
    rotateAgencySecret: new RotateAgencySecretUseCase(runner, agencies, clients, hasher, clock),
    disableAgency: new DisableAgencyUseCase(runner, agencies, clients, writer, clock),
    createPrincipal,
    rotatePrincipalSecret: new RotateServicePrincipalSecretUseCase(runner, clients, hasher, clock),
    disablePrincipal: new DisableServicePrincipalUseCase(runner, clients, writer, clock),
    enablePrincipal: new EnableServicePrincipalUseCase(runner, clients, writer, clock),
    bootstrapAdmin: new EnsureBootstrapAdminUseCase(clients, createPrincipal),
    issueToken: new IssueClientTokenUseCase(clients, agencies, hasher, signer),
    rotateKeys: new RotateSigningKeyUseCase(runner, keys, new JoseKeyPairGenerator(), cipher, settings, clock),
    jwks: new GetJwksUseCase(keys, clock),
    registerCitizen: new RegisterCitizenUseCase(runner, citizens, ownerships, writer, clock),
    recordOwnership: new RecordSubscriberOwnershipUseCase(ownerships),
    requestOtp: new RequestOtpUseCase(runner, citizens, challenges, codes, otpHasher, sms, otpThrottle, settings, clock),
    verifyOtp: new VerifyOtpUseCase(runner, citizens, challenges, otpHasher, signer, settings, clock),
    disableCitizen: new DisableCitizenUseCase(runner, citizens, writer, clock),
    enableCitizen: new EnableCitizenUseCase(runner, citizens, writer, clock),
  };
}

/** Feeds the Shahkar projection as the operators' `hamta.subscribers` events would. */
export async function ownLine(w: IdentityWorld, msisdn: string, nationalCode: string | null, validFrom = new Date('2020-01-01T00:00:00Z')): Promise<void> {
  await w.recordOwnership.execute({ operatorCode: 'MCI', msisdn, nationalCode, validFrom: validFrom.toISOString() });
}

export type IdentityWorld = ReturnType<typeof identityWorld>;
