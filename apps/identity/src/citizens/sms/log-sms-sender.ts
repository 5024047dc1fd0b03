import { Logger } from '@nestjs/common';
import { maskMsisdn } from '@darvazeh/core';
import { SmsSender } from '../domain/sms-sender.js';

/**
 * Embedded/dev sink: writes the message (with the code) to the log instead of sending it.
 * Never configure it in production — the log then holds live login codes.
 */
export class LogSmsSender extends SmsSender {
  private readonly logger = new Logger('SMS');

  async send(to: string, text: string): Promise<void> {
    this.logger.warn(`[dev SMS sink] to ${maskMsisdn(to)} (${to}): ${text}`);
  }
}
