import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  DEVICE_REGISTERED_V1,
  DEVICE_REGISTRATION_REJECTED_V1,
  DEVICE_REPORTED_STOLEN_V1,
  DEVICE_TRANSFERRED_V1,
  type DeviceRegisteredV1,
  type DeviceRegistrationRejectedV1,
  type DeviceReportedStolenV1,
  type DeviceTransferredV1,
} from '@darvazeh/contracts';
import type { EventContext } from '@darvazeh/messaging';
import { SystemNoticeUseCase } from '../application/system-notice.use-case.js';

const imeiList = (imeis: string[]) => imeis.join('، ');

/** hamta.devices → a system notice in the device owner's inbox. */
@Controller()
export class HamtaDevicesConsumer {
  constructor(@Inject(SystemNoticeUseCase) private readonly notices: SystemNoticeUseCase) {}

  @EventPattern<string>(DEVICE_REGISTERED_V1)
  registered(@Payload() e: DeviceRegisteredV1, @Ctx() ctx: EventContext) {
    return this.notices.execute({
      causeEventId: ctx.id,
      recipient: e.ownerNationalCode,
      category: 'hamta',
      subject: 'ثبت گوشی در سامانه همتا',
      body: `گوشی با شناسه(های) ${imeiList(e.imeis)} به نام شما ثبت شد.`,
    });
  }

  @EventPattern<string>(DEVICE_REGISTRATION_REJECTED_V1)
  rejected(@Payload() e: DeviceRegistrationRejectedV1, @Ctx() ctx: EventContext) {
    return this.notices.execute({
      causeEventId: ctx.id,
      recipient: e.ownerNationalCode,
      category: 'hamta',
      subject: 'رد درخواست ثبت گوشی در سامانه همتا',
      body: `درخواست ثبت گوشی با شناسه(های) ${imeiList(e.imeis)} رد شد. دلایل: ${e.reasons.map((r) => `${r.message} (${r.code})`).join('؛ ')}`,
    });
  }

  @EventPattern<string>(DEVICE_TRANSFERRED_V1)
  transferred(@Payload() e: DeviceTransferredV1, @Ctx() ctx: EventContext) {
    return this.notices.execute({
      causeEventId: ctx.id,
      recipient: e.ownerNationalCode,
      category: 'hamta',
      subject: 'انتقال مالکیت گوشی در سامانه همتا',
      body: `مالکیت گوشی با شناسه(های) ${imeiList(e.imeis)} به شما منتقل شد.`,
    });
  }

  @EventPattern<string>(DEVICE_REPORTED_STOLEN_V1)
  stolen(@Payload() e: DeviceReportedStolenV1, @Ctx() ctx: EventContext) {
    return this.notices.execute({
      causeEventId: ctx.id,
      recipient: e.ownerNationalCode,
      category: 'hamta',
      subject: 'اعلام سرقت یا مفقودی گوشی',
      body: `گوشی با شناسه(های) ${imeiList(e.imeis)} به درخواست شما مسدود شد و در شبکه‌های همراه کار نخواهد کرد.`,
    });
  }
}
