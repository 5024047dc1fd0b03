import { AgencyEntity } from './agencies/persistence/agency.entity.js';
import { CitizenEntity, OtpChallengeEntity } from './citizens/persistence/citizen.entity.js';
import { ServiceClientEntity } from './clients/persistence/service-client.entity.js';
import { SigningKeyEntity } from './signing-keys/persistence/signing-key.entity.js';

export const IDENTITY_ENTITIES = [AgencyEntity, ServiceClientEntity, CitizenEntity, OtpChallengeEntity, SigningKeyEntity];
