import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Matches } from 'class-validator';
import { reasonName } from '../domain/revocation-reason.js';
import type { CertificateStatus } from '../domain/certificate-status.js';

const SERIAL = /^(0x)?[0-9a-fA-F:]{1,60}$/;

export class RecordIssuanceRequestDto {
  @ApiProperty({ example: '7a0000000000000000000000000000000000001f', description: 'hex serial, up to 20 octets' })
  @Matches(SERIAL, { message: 'serial must be hexadecimal' })
  serial: string;

  @ApiPropertyOptional() @IsOptional() @IsISO8601() notAfter?: string;
}

export class RevokeRequestDto {
  @ApiPropertyOptional({ example: 'keyCompromise', description: 'RFC 5280 CRLReason name or code' })
  @IsOptional()
  @IsString()
  reason?: string;

  @ApiPropertyOptional() @IsOptional() @IsISO8601() revokedAt?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601() invalidityDate?: string;
}

export class CertificateStatusResponseDto {
  @ApiProperty() issuer: string;
  @ApiProperty() serial: string;
  @ApiProperty({ enum: ['good', 'revoked', 'on_hold'] }) state: string;
  @ApiProperty({ nullable: true }) notAfter: string | null;
  @ApiProperty({ nullable: true }) revokedAt: string | null;
  @ApiProperty({ nullable: true }) reason: string | null;
  @ApiProperty({ nullable: true }) invalidityDate: string | null;
  @ApiProperty() updatedAt: string;

  static from(alias: string, s: CertificateStatus): CertificateStatusResponseDto {
    return {
      issuer: alias,
      serial: s.serial,
      state: s.state,
      notAfter: s.notAfter?.toISOString() ?? null,
      revokedAt: s.revokedAt?.toISOString() ?? null,
      reason: s.reason === null ? null : reasonName(s.reason),
      invalidityDate: s.invalidityDate?.toISOString() ?? null,
      updatedAt: s.updatedAt.toISOString(),
    };
  }
}
