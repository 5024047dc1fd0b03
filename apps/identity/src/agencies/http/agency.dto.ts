import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { AGENCY_TYPES, type Agency } from '../domain/agency.js';

export class RegisterAgencyRequestDto {
  @ApiProperty({ example: 'Iranian National Tax Administration' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ description: 'Legal national ID (شناسه ملی), 11 digits with check digit', example: '10380284790' })
  @IsString()
  @MaxLength(32)
  nationalId!: string;

  @ApiProperty({ example: 'Ministry of Economic Affairs and Finance' })
  @IsString()
  @Length(1, 200)
  parentMinistry!: string;

  @ApiProperty({ enum: AGENCY_TYPES })
  @IsIn(AGENCY_TYPES)
  type!: string;

  @ApiPropertyOptional({ type: [String], description: 'OAuth scopes the agency client may request' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  scopes?: string[];
}

export class AgencyResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() nationalId!: string;
  @ApiProperty() parentMinistry!: string;
  @ApiProperty({ enum: AGENCY_TYPES }) type!: string;
  @ApiProperty({ enum: ['active', 'disabled'] }) status!: string;
  @ApiProperty({ nullable: true, type: String }) clientId!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) disabledAt!: string | null;

  static from(agency: Agency, clientId: string | null): AgencyResponseDto {
    return Object.assign(new AgencyResponseDto(), {
      id: agency.id,
      name: agency.name,
      nationalId: agency.nationalId,
      parentMinistry: agency.parentMinistry,
      type: agency.type,
      status: agency.status,
      clientId,
      createdAt: agency.createdAt.toISOString(),
      disabledAt: agency.disabledAt?.toISOString() ?? null,
    });
  }
}

export class CredentialsResponseDto {
  @ApiProperty() clientId!: string;
  @ApiProperty({ description: 'Shown once. Store it now: only its hash is kept.' }) clientSecret!: string;
}

export class RegisteredAgencyResponseDto extends AgencyResponseDto {
  @ApiProperty({ description: 'Shown once. Store it now: only its hash is kept.' }) clientSecret!: string;
}
