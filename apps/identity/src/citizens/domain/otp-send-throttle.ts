/**
 * Port: at most one login code per national code per resend period, counted for every national
 * code asked for — registered or not — so a 429 tells nothing about who is registered.
 */
export abstract class OtpSendThrottle {
  /** Spends the national code's send; `allowed: false` with the wait when it was spent already. */
  abstract take(nationalCode: string): Promise<{ allowed: boolean; retryAfterSeconds: number }>;
  /** Gives the send back (the SMS gateway refused it: the citizen may retry at once). */
  abstract refund(nationalCode: string): Promise<void>;
}
