import { Body, Controller, Headers, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, MaxLength } from 'class-validator';
import { CurrentPrincipal, Roles, type Principal } from '@darvazeh/auth';
import { InvalidInputError } from '../../shared/domain/hamta.errors.js';
import { RegisterDeviceUseCase, type RegistrationView } from '../application/register-device.use-case.js';
import { IsCleanText } from '../../shared/http/clean-text.validator.js';
import { requireNationalCode } from '../../shared/http/principal-guards.js';

export class RegisterDeviceRequestDto {
  @ApiProperty({ example: ['490154203237518'], description: 'IMEI(s) of one device: two for dual-SIM (dial *#06#)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2)
  @IsString({ each: true })
  @MaxLength(32, { each: true })
  @IsCleanText({ each: true })
  imeis!: string[];

  @ApiProperty({ example: '09121234567', description: 'the SIM the device was used with before the cut-off' })
  @IsString()
  @MaxLength(20)
  @IsCleanText()
  msisdn!: string;
}

export class RegistrationResponseDto {
  registrationId!: string;
  decision!: 'approved' | 'rejected';
  deviceId!: string | null;
  imeis!: string[];
  msisdn!: string;
  reasons!: { code: string; message: string; hint: string; imei?: string }[];
  decidedAt!: string;
}

const toResponse = (v: RegistrationView): RegistrationResponseDto => ({
  registrationId: v.registrationId,
  decision: v.decision,
  deviceId: v.deviceId,
  imeis: v.imeis,
  msisdn: v.msisdn,
  reasons: v.reasons.map((r) => ({ code: r.code, message: r.message, hint: r.hint, ...(r.imei ? { imei: r.imei } : {}) })),
  decidedAt: v.decidedAt.toISOString(),
});

@ApiTags('registrations')
@ApiBearerAuth()
@Controller('devices/registrations')
export class RegistrationsController {
  constructor(@Inject(RegisterDeviceUseCase) private readonly register: RegisterDeviceUseCase) {}

  /**
   * The decision is immediate: 201 with `decision: approved|rejected` and reason codes (a rejection
   * is a recorded outcome, not an error). Same `Idempotency-Key` again → 200 with the stored decision.
   */
  @Post()
  @ApiOperation({ summary: 'Register a pre-scheme device: approved or rejected at once, with reasons' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'the same key again returns the stored decision (200, idempotent-replayed: true)' })
  @Roles('citizen')
  @HttpCode(201)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: RegisterDeviceRequestDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: { status(code: number): unknown; header(k: string, v: string): unknown },
  ): Promise<RegistrationResponseDto> {
    const nationalCode = requireNationalCode(principal);
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,128}$/.test(idempotencyKey)) {
      throw new InvalidInputError('HAMTA.IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be 1–128 visible ASCII characters', {
        errors: [{ field: 'Idempotency-Key', message: 'must be 1–128 visible ASCII characters (a UUID is a good choice)' }],
      });
    }
    const view = await this.register.execute({ nationalCode, imeis: body.imeis, msisdn: body.msisdn, idempotencyKey });
    if (view.replayed) {
      reply.status(200);
      reply.header('idempotent-replayed', 'true');
    }
    return toResponse(view);
  }
}
