import { hkdfSync } from 'node:crypto';
import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { TOPICS } from '@darvazeh/contracts';
import { PrincipalRevocationModule } from '@darvazeh/auth';
import { PlatformModule, SharedRateLimiter } from '@darvazeh/http';
import { DataSource } from 'typeorm';
import { GetAgencyUseCase } from './agencies/application/get-agency.use-case.js';
import { ListAgenciesUseCase } from './agencies/application/list-agencies.use-case.js';
import { DisableAgencyUseCase } from './agencies/application/disable-agency.use-case.js';
import { RegisterAgencyUseCase } from './agencies/application/register-agency.use-case.js';
import { RotateAgencySecretUseCase } from './agencies/application/rotate-agency-secret.use-case.js';
import { AgencyRepository } from './agencies/domain/agency.repository.js';
import { AgenciesController } from './agencies/http/agencies.controller.js';
import { TypeOrmAgencyRepository } from './agencies/persistence/typeorm-agency.repository.js';
import { DisableCitizenUseCase } from './citizens/application/disable-citizen.use-case.js';
import { EnableCitizenUseCase } from './citizens/application/enable-citizen.use-case.js';
import { GetCitizenProfileUseCase } from './citizens/application/get-citizen-profile.use-case.js';
import { RegisterCitizenUseCase } from './citizens/application/register-citizen.use-case.js';
import { RequestOtpUseCase } from './citizens/application/request-otp.use-case.js';
import { VerifyOtpUseCase } from './citizens/application/verify-otp.use-case.js';
import { CitizenRepository, OtpChallengeRepository } from './citizens/domain/citizen.repository.js';
import { OtpCodeGenerator, OtpCodeHasher, RandomOtpCodeGenerator } from './citizens/domain/otp-code.js';
import { SmsSender } from './citizens/domain/sms-sender.js';
import { CitizensController } from './citizens/http/citizens.controller.js';
import { TypeOrmCitizenRepository, TypeOrmOtpChallengeRepository } from './citizens/persistence/typeorm-citizen.repository.js';
import { RecordSubscriberOwnershipUseCase } from './citizens/application/record-subscriber-ownership.use-case.js';
import { OtpSendThrottle } from './citizens/domain/otp-send-throttle.js';
import { SubscriberOwnershipRegistry } from './citizens/domain/subscriber-ownership.js';
import { SubscriberOwnershipConsumer } from './citizens/messaging/subscriber-ownership.consumer.js';
import { SharedOtpSendThrottle } from './citizens/persistence/shared-otp-send-throttle.js';
import { TypeOrmSubscriberOwnershipRegistry } from './citizens/persistence/typeorm-subscriber-ownership.registry.js';
import { HttpSmsSender } from './citizens/sms/http-sms-sender.js';
import { LogSmsSender } from './citizens/sms/log-sms-sender.js';
import { CreateServicePrincipalUseCase } from './clients/application/create-service-principal.use-case.js';
import { EnsureBootstrapAdminUseCase } from './clients/application/ensure-bootstrap-admin.use-case.js';
import { DisableServicePrincipalUseCase } from './clients/application/disable-service-principal.use-case.js';
import { EnableServicePrincipalUseCase } from './clients/application/enable-service-principal.use-case.js';
import { GetServicePrincipalUseCase } from './clients/application/get-service-principal.use-case.js';
import { ListServicePrincipalsUseCase } from './clients/application/list-service-principals.use-case.js';
import { RotateServicePrincipalSecretUseCase } from './clients/application/rotate-service-principal-secret.use-case.js';
import { ScryptSecretHasher, SecretHasher } from './clients/domain/secret-hasher.js';
import { ServiceClientRepository } from './clients/domain/service-client.repository.js';
import { PrincipalsController } from './clients/http/principals.controller.js';
import { TypeOrmServiceClientRepository } from './clients/persistence/typeorm-service-client.repository.js';
import { IdentitySettings } from './config/identity-settings.js';
import { IdentityEnv } from './config/identity.env.js';
import { IdentityStartup } from './identity.startup.js';
import { IDENTITY_MIGRATIONS } from './migrations/index.js';
import { IssueClientTokenUseCase } from './oauth/application/issue-client-token.use-case.js';
import { CitizenRateLimiter, TokenRateLimiter } from './oauth/http/token-rate-limiter.js';
import { TokenController } from './oauth/http/token.controller.js';
import { IDENTITY_ENTITIES } from './persistence.js';
import { Clock, SystemClock } from './shared/clock.js';
import { AccessTokenSigner } from './signing-keys/application/access-token-signer.js';
import { GetJwksUseCase } from './signing-keys/application/get-jwks.use-case.js';
import { RotateSigningKeyUseCase } from './signing-keys/application/rotate-signing-key.use-case.js';
import { SigningKeyScheduler } from './signing-keys/application/signing-key-scheduler.js';
import { JoseKeyPairGenerator, KeyPairGenerator } from './signing-keys/domain/key-material.js';
import { PrivateKeyCipher } from './signing-keys/domain/private-key-cipher.js';
import { SigningKeyRepository } from './signing-keys/domain/signing-key.repository.js';
import { SigningKeysController, WellKnownController } from './signing-keys/http/well-known.controller.js';
import { TypeOrmSigningKeyRepository } from './signing-keys/persistence/typeorm-signing-key.repository.js';

export const IDENTITY_SERVICE = 'identity';

/** Replaceable collaborators (tests: a capturing SMS sender, a manual clock, a fixed OTP). */
export interface IdentityOverrides {
  smsSender?: SmsSender;
  clock?: Clock;
  otpCodeGenerator?: OtpCodeGenerator;
}

function otpHashKey(env: IdentityEnv): string {
  if (env.OTP_HASH_SECRET) return env.OTP_HASH_SECRET;
  // Derived, so one configured secret suffices; the label keeps it independent of the key-encryption key.
  return Buffer.from(hkdfSync('sha256', env.KEY_ENCRYPTION_SECRET, 'darvazeh.identity', 'otp-hmac-v1', 32)).toString('base64url');
}

@Module({})
export class IdentityModule {
  static register(env: IdentityEnv, overrides: IdentityOverrides = {}): DynamicModule {
    const clock = overrides.clock ?? new SystemClock();
    const settings = IdentitySettings.of({
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      tokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      clockSkewSeconds: env.JWT_CLOCK_SKEW_SECONDS,
      keyRotationIntervalSeconds: env.SIGNING_KEY_ROTATION_INTERVAL_SECONDS,
      otp: {
        ttlSeconds: env.OTP_TTL_SECONDS,
        maxAttempts: env.OTP_MAX_ATTEMPTS,
        resendAfterSeconds: env.OTP_RESEND_SECONDS,
        maxFailures: env.OTP_MAX_FAILURES,
        lockSeconds: env.OTP_LOCK_SECONDS,
      },
    } as IdentitySettings);
    const smsSender =
      overrides.smsSender ??
      (env.SMS_SENDER === 'http' ? new HttpSmsSender(env.SMS_HTTP_URL!, env.SMS_HTTP_TIMEOUT_MS) : new LogSmsSender());

    const providers: Provider[] = [
      { provide: Clock, useValue: clock },
      { provide: IdentitySettings, useValue: settings },
      { provide: SecretHasher, useValue: new ScryptSecretHasher({ N: env.CLIENT_SECRET_SCRYPT_N, r: 8, p: 1 }) },
      { provide: PrivateKeyCipher, useValue: new PrivateKeyCipher(env.KEY_ENCRYPTION_SECRET) },
      { provide: KeyPairGenerator, useClass: JoseKeyPairGenerator },
      { provide: OtpCodeGenerator, useValue: overrides.otpCodeGenerator ?? new RandomOtpCodeGenerator() },
      { provide: OtpCodeHasher, useValue: new OtpCodeHasher(otpHashKey(env)) },
      { provide: SmsSender, useValue: smsSender },
      {
        provide: TokenRateLimiter,
        useFactory: (dataSource: DataSource) =>
          new TokenRateLimiter(
            SharedRateLimiter.postgres(dataSource, { name: 'token-failures', points: env.TOKEN_AUTH_FAILURES_PER_CLIENT_IP, durationSeconds: 60 }),
            SharedRateLimiter.postgres(dataSource, { name: 'token-ip', points: env.TOKEN_RATE_LIMIT_PER_IP, durationSeconds: 60 }),
          ),
        inject: [DataSource],
      },
      // Registration and OTP endpoints: 20 requests per minute per IP.
      {
        provide: CitizenRateLimiter,
        useFactory: (dataSource: DataSource) =>
          new CitizenRateLimiter(SharedRateLimiter.postgres(dataSource, { name: 'citizen-ip', points: 20, durationSeconds: 60 })),
        inject: [DataSource],
      },
      // One login code per national code per resend period, registered or not.
      {
        provide: OtpSendThrottle,
        useFactory: (dataSource: DataSource) =>
          new SharedOtpSendThrottle(
            SharedRateLimiter.postgres(dataSource, { name: 'otp-send', points: 1, durationSeconds: Math.max(1, env.OTP_RESEND_SECONDS) }),
          ),
        inject: [DataSource],
      },
      { provide: SubscriberOwnershipRegistry, useClass: TypeOrmSubscriberOwnershipRegistry },
      RecordSubscriberOwnershipUseCase,
      { provide: AgencyRepository, useClass: TypeOrmAgencyRepository },
      { provide: ServiceClientRepository, useClass: TypeOrmServiceClientRepository },
      { provide: CitizenRepository, useClass: TypeOrmCitizenRepository },
      { provide: OtpChallengeRepository, useClass: TypeOrmOtpChallengeRepository },
      { provide: SigningKeyRepository, useClass: TypeOrmSigningKeyRepository },
      AccessTokenSigner,
      RegisterAgencyUseCase,
      RotateAgencySecretUseCase,
      DisableAgencyUseCase,
      GetAgencyUseCase,
      ListAgenciesUseCase,
      CreateServicePrincipalUseCase,
      RotateServicePrincipalSecretUseCase,
      DisableServicePrincipalUseCase,
      EnableServicePrincipalUseCase,
      GetServicePrincipalUseCase,
      ListServicePrincipalsUseCase,
      EnsureBootstrapAdminUseCase,
      IssueClientTokenUseCase,
      RotateSigningKeyUseCase,
      GetJwksUseCase,
      SigningKeyScheduler,
      RegisterCitizenUseCase,
      RequestOtpUseCase,
      VerifyOtpUseCase,
      GetCitizenProfileUseCase,
      DisableCitizenUseCase,
      EnableCitizenUseCase,
      IdentityStartup,
    ];

    return {
      module: IdentityModule,
      imports: [
        PlatformModule.forService({
          service: IDENTITY_SERVICE,
          env,
          entities: IDENTITY_ENTITIES,
          migrations: IDENTITY_MIGRATIONS,
          topics: [TOPICS.identityPrincipals, TOPICS.hamtaSubscribers],
        }),
        PrincipalRevocationModule,
      ],
      controllers: [
        TokenController,
        WellKnownController,
        SigningKeysController,
        AgenciesController,
        PrincipalsController,
        CitizensController,
        SubscriberOwnershipConsumer,
      ],
      providers,
    };
  }
}
