/** One "you have a new notice" message (no content: the notice itself is read in the inbox). */
export interface NewNoticeNotification {
  recipientId: string;
  noticeId: string;
  subject: string;
}

/** Tells recipients about new notices (SMS gateway in production; a sink in embedded mode and tests). */
export abstract class Notifier {
  abstract notify(batch: readonly NewNoticeNotification[]): Promise<void>;
}

/** Dev sink: keeps the last notifications in memory (tests read them) and logs a count. */
export class DevSinkNotifier extends Notifier {
  readonly sent: NewNoticeNotification[] = [];

  async notify(batch: readonly NewNoticeNotification[]): Promise<void> {
    this.sent.push(...batch);
    if (this.sent.length > 10_000) this.sent.splice(0, this.sent.length - 10_000);
  }
}
