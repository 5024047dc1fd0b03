import { SmsDeliveryFailedError } from '../domain/citizen.errors.js';
import { SmsSender } from '../domain/sms-sender.js';

/**
 * POSTs `{"to":"09…","text":"…"}` as JSON to a configured SMS gateway URL; any 2xx is accepted.
 * A timeout bounds how long the OTP request (and its transaction) waits on the gateway.
 */
export class HttpSmsSender extends SmsSender {
  constructor(
    private readonly url: string,
    private readonly timeoutMs = 5000,
    private readonly fetchFn: typeof fetch = fetch,
  ) {
    super();
  }

  async send(to: string, text: string): Promise<void> {
    let response: Response;
    try {
      response = await this.fetchFn(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ to, text }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new SmsDeliveryFailedError(error);
    }
    // Drain the body so the connection returns to the pool.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new SmsDeliveryFailedError(new Error(`SMS gateway answered ${response.status}`));
  }
}
