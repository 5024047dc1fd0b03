import type { SharedRateLimiter } from '@darvazeh/http';
import { OtpSendThrottle } from '../domain/otp-send-throttle.js';

/** OtpSendThrottle on SharedRateLimiter (identity's PostgreSQL): one budget across replicas. */
export class SharedOtpSendThrottle extends OtpSendThrottle {
  constructor(private readonly limiter: SharedRateLimiter) {
    super();
  }

  async take(nationalCode: string): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
    const decision = await this.limiter.take(nationalCode);
    return { allowed: decision.allowed, retryAfterSeconds: decision.retryAfterSeconds };
  }

  refund(nationalCode: string): Promise<void> {
    return this.limiter.refund(nationalCode);
  }
}
