import type { Citizen } from './citizen.js';
import type { OtpChallenge } from './otp-challenge.js';

/** Port. Implementations join the ambient transaction of the calling use case. */
export abstract class CitizenRepository {
  abstract findById(id: string): Promise<Citizen | null>;
  abstract findByNationalCode(nationalCode: string): Promise<Citizen | null>;
  /** Throws CitizenAlreadyRegisteredError when the national code is taken. */
  abstract insert(citizen: Citizen): Promise<void>;
  abstract update(citizen: Citizen): Promise<void>;
}

/** Port. `findForUpdate` locks the row so two concurrent verifications cannot both count as attempt 5. */
export abstract class OtpChallengeRepository {
  abstract findForUpdate(citizenId: string): Promise<OtpChallenge | null>;
  /** Insert or replace the citizen's one challenge. */
  abstract save(challenge: OtpChallenge): Promise<void>;
}
