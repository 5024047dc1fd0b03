import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal, Public, Roles, type Principal } from '@darvazeh/auth';
import { requirePrincipal } from '../../http/principal-of.js';
import { CitizenRateLimiter } from '../../oauth/http/token-rate-limiter.js';
import { DisableCitizenUseCase } from '../application/disable-citizen.use-case.js';
import { EnableCitizenUseCase } from '../application/enable-citizen.use-case.js';
import { GetCitizenProfileUseCase } from '../application/get-citizen-profile.use-case.js';
import { RegisterCitizenUseCase } from '../application/register-citizen.use-case.js';
import { RequestOtpUseCase } from '../application/request-otp.use-case.js';
import { VerifyOtpUseCase } from '../application/verify-otp.use-case.js';
import { CitizenRequestsRateLimitedError } from '../domain/citizen.errors.js';
import {
  CitizenResponseDto,
  CitizenTokenResponseDto,
  OtpRequestedResponseDto,
  RegisterCitizenRequestDto,
  RequestOtpRequestDto,
  VerifyOtpRequestDto,
} from './citizen.dto.js';

@ApiTags('citizens')
@Controller('citizens')
export class CitizensController {
  constructor(
    private readonly register: RegisterCitizenUseCase,
    private readonly requestOtp: RequestOtpUseCase,
    private readonly verifyOtp: VerifyOtpUseCase,
    private readonly profile: GetCitizenProfileUseCase,
    private readonly limiter: CitizenRateLimiter,
    private readonly disable: DisableCitizenUseCase,
    private readonly enable: EnableCitizenUseCase,
  ) {}

  @Post()
  @Public()
  @ApiOperation({ summary: 'Register a citizen (the mobile must be recorded for the national code)' })
  async create(@Body() body: RegisterCitizenRequestDto, @Req() req: FastifyRequest): Promise<CitizenResponseDto> {
    await this.throttle(req);
    return CitizenResponseDto.from(await this.register.execute(body));
  }

  @Post('otp')
  @Public()
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a login code to the registered mobile' })
  async otp(
    @Body() body: RequestOtpRequestDto,
    @Req() req: FastifyRequest,
  ): Promise<OtpRequestedResponseDto> {
    await this.throttle(req);
    return Object.assign(new OtpRequestedResponseDto(), {
      message: 'If this national code is registered, a login code was sent to its mobile.',
      ...(await this.requestOtp.execute(body)),
    });
  }

  @Post('otp/verify')
  @Public()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Exchange a login code for a citizen token' })
  async verify(@Body() body: VerifyOtpRequestDto, @Req() req: FastifyRequest): Promise<CitizenTokenResponseDto> {
    await this.throttle(req);
    const token = await this.verifyOtp.execute(body);
    return Object.assign(new CitizenTokenResponseDto(), {
      access_token: token.accessToken,
      token_type: 'Bearer' as const,
      expires_in: token.expiresIn,
    });
  }

  /** Only the caller's own profile: the id is the token's subject, there is no id parameter to tamper with. */
  @Get('me')
  @Roles('citizen')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The calling citizen\'s own profile' })
  async me(@CurrentPrincipal() principal: Principal | undefined): Promise<CitizenResponseDto> {
    return CitizenResponseDto.from(await this.profile.execute({ citizenId: requirePrincipal(principal).subject }));
  }

  @Post(':id/disable')
  @Roles('admin')
  @ApiBearerAuth()
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable a citizen (admin)' })
  async disableCitizen(@Param('id', new ParseUUIDPipe()) id: string): Promise<CitizenResponseDto> {
    return CitizenResponseDto.from(await this.disable.execute({ citizenId: id }));
  }

  @Post(':id/enable')
  @Roles('admin')
  @ApiBearerAuth()
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a disabled citizen (admin)' })
  async enableCitizen(@Param('id', new ParseUUIDPipe()) id: string): Promise<CitizenResponseDto> {
    return CitizenResponseDto.from(await this.enable.execute({ citizenId: id }));
  }

  private async throttle(req: FastifyRequest): Promise<void> {
    const taken = await this.limiter.take(req.ip);
    if (!taken.allowed) {
      throw new CitizenRequestsRateLimitedError(taken.retryAfterSeconds);
    }
  }
}
