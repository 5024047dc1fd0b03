import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { ISSUER_ALIAS_PATTERN, OPERATOR_CODES, SERVICE_PRINCIPAL_ROLES } from '@darvazeh/core';
import type { ServiceClient } from '../domain/service-client.js';

export class CreatePrincipalRequestDto {
  @ApiProperty({ example: 'MCI network feed' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: SERVICE_PRINCIPAL_ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @IsIn(SERVICE_PRINCIPAL_ROLES, { each: true })
  roles!: string[];

  @ApiPropertyOptional({ description: 'Required with role operator', enum: OPERATOR_CODES, example: 'MCI' })
  @IsOptional()
  @IsIn(OPERATOR_CODES, { message: `operatorCode must be one of ${OPERATOR_CODES.join(', ')}` })
  operatorCode?: string;

  @ApiPropertyOptional({ description: 'Required with role ca: aliases of the issuing CAs it acts for', type: [String], example: ['national-ca-1'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(ISSUER_ALIAS_PATTERN, { each: true, message: 'caIssuers must be issuer aliases: lowercase letters, digits and "-"' })
  caIssuers?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  scopes?: string[];
}

export class PrincipalResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() clientId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ isArray: true, enum: SERVICE_PRINCIPAL_ROLES }) roles!: string[];
  @ApiProperty({ nullable: true, type: String }) operatorCode!: string | null;
  @ApiProperty({ nullable: true, type: [String] }) caIssuers!: string[] | null;
  @ApiProperty({ type: [String] }) scopes!: string[];
  @ApiProperty({ enum: ['active', 'disabled'] }) status!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() secretRotatedAt!: string;

  static from(c: ServiceClient): PrincipalResponseDto {
    return Object.assign(new PrincipalResponseDto(), {
      id: c.id,
      clientId: c.clientId,
      name: c.displayName,
      roles: c.roles,
      operatorCode: c.operatorCode,
      caIssuers: c.caIssuers,
      scopes: c.scopes,
      status: c.status,
      createdAt: c.createdAt.toISOString(),
      secretRotatedAt: c.secretRotatedAt.toISOString(),
    });
  }
}

export class CreatedPrincipalResponseDto extends PrincipalResponseDto {
  @ApiProperty({ description: 'Shown once. Store it now: only its hash is kept.' }) clientSecret!: string;
}
