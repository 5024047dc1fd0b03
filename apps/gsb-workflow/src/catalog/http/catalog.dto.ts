import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { CursorQueryDto } from '@darvazeh/http';
import type { CatalogService } from '../domain/catalog-service.js';

export class CatalogServiceResponseDto {
  code!: string;
  title!: string;
  description!: string;
  providerAgencyId!: string;
  environments!: string[];
  upstreamUrl!: string;
  status!: string;
  version!: number;
  createdAt!: string;
  changedAt!: string;
}

export const toCatalogResponse = (s: CatalogService): CatalogServiceResponseDto => ({
  code: s.code,
  title: s.title,
  description: s.description,
  providerAgencyId: s.providerAgencyId,
  environments: s.environments,
  upstreamUrl: s.upstreamUrl,
  status: s.status,
  version: s.version,
  createdAt: s.createdAt.toISOString(),
  changedAt: s.changedAt.toISOString(),
});

export class CatalogSearchQueryDto extends CursorQueryDto {
  @ApiPropertyOptional({ description: 'words of the code, title or description' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: ['GSB', 'PGSB'] })
  @IsOptional()
  @IsIn(['GSB', 'PGSB'])
  environment?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  provider?: string;

  @ApiPropertyOptional({ enum: ['ACTIVE', 'SUSPENDED', 'RETIRED'] })
  @IsOptional()
  @IsIn(['ACTIVE', 'SUSPENDED', 'RETIRED'])
  status?: string;
}

export class RegisterCatalogServiceRequestDto {
  @ApiProperty({ example: 'hamta.imei-status' })
  @IsString()
  @MaxLength(100)
  code!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(200)
  title!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({ description: "defaults to the caller's agency; only admins name another" })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  providerAgencyId?: string;

  @ApiProperty({ example: ['GSB', 'PGSB'] })
  @IsArray()
  @ArrayMaxSize(2)
  @IsString({ each: true })
  environments!: string[];

  @ApiProperty({ example: 'https://provider.example.ir/api/imei' })
  @IsString()
  @MaxLength(500)
  upstreamUrl!: string;

  @ApiPropertyOptional({ enum: ['ACTIVE', 'SUSPENDED', 'RETIRED'] })
  @IsOptional()
  @IsString()
  status?: string;
}

export class ChangeCatalogServiceRequestDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) title?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) providerAgencyId?: string;
  @ApiPropertyOptional() @IsOptional() @IsArray() @ArrayMaxSize(2) @IsString({ each: true }) environments?: string[];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) upstreamUrl?: string;
  @ApiPropertyOptional({ enum: ['ACTIVE', 'SUSPENDED', 'RETIRED'] }) @IsOptional() @IsString() status?: string;
  @ApiPropertyOptional({ description: 'why (published with a status change)' }) @IsOptional() @IsString() @MaxLength(500) reason?: string;
}
