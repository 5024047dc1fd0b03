/** Port: delivers a text message to an Iranian mobile number (`09xxxxxxxxx`). */
export abstract class SmsSender {
  abstract send(to: string, text: string): Promise<void>;
}
