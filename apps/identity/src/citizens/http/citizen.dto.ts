import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, MaxLength } from 'class-validator';
import { formatMsisdnNational } from '@darvazeh/core';
import type { Citizen } from '../domain/citizen.js';

export class RegisterCitizenRequestDto {
  @ApiProperty({ description: 'National code (کد ملی), 10 digits with check digit', example: '1583250689' })
  @IsString()
  @MaxLength(32)
  nationalCode!: string;

  @ApiProperty({ description: 'Iranian mobile: 09…, +989…, 989… or 00989…', example: '+989121234567' })
  @IsString()
  @MaxLength(32)
  mobile!: string;
}

export class RequestOtpRequestDto {
  @ApiProperty({ example: '1583250689' })
  @IsString()
  @MaxLength(32)
  nationalCode!: string;
}

export class VerifyOtpRequestDto {
  @ApiProperty({ example: '1583250689' })
  @IsString()
  @MaxLength(32)
  nationalCode!: string;

  @ApiProperty({ example: '042917' })
  @IsString()
  @Length(6, 6, { message: 'code must be the 6-digit code from the SMS' })
  code!: string;
}

export class CitizenResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() nationalCode!: string;
  @ApiProperty({ description: 'As people write it (09…); stored as the canonical MSISDN 989…', example: '09121234567' }) mobile!: string;
  @ApiProperty({ enum: ['active', 'disabled'] }) status!: string;
  @ApiProperty() registeredAt!: string;

  static from(c: Citizen): CitizenResponseDto {
    return Object.assign(new CitizenResponseDto(), {
      id: c.id,
      nationalCode: c.nationalCode,
      mobile: formatMsisdnNational(c.mobile),
      status: c.status,
      registeredAt: c.createdAt.toISOString(),
    });
  }
}

/** The same for every well-formed national code, registered or not. */
export class OtpRequestedResponseDto {
  @ApiProperty({ example: 'If this national code is registered, a login code was sent to its mobile.' }) message!: string;
  @ApiProperty({ example: 120 }) expiresInSeconds!: number;
  @ApiProperty({ example: 60 }) resendAfterSeconds!: number;
}

export class CitizenTokenResponseDto {
  @ApiProperty() access_token!: string;
  @ApiProperty({ enum: ['Bearer'] }) token_type!: 'Bearer';
  @ApiProperty() expires_in!: number;
}
