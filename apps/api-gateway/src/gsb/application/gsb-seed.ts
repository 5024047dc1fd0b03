import { plainToInstance, Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsIn, IsString, IsUUID, Length, Matches, ValidateNested, validateSync } from 'class-validator';
import { GSB_ENVIRONMENTS, SERVICE_CODE_PATTERN, type GsbEnvironment } from '@darvazeh/core';
import { UPSTREAMS, type UpstreamName } from '../../edge/domain/route-table.js';
import type { CatalogEntry } from '../domain/access-decision.js';

class SeedService {
  @Matches(SERVICE_CODE_PATTERN)
  serviceCode!: string;

  @IsString()
  @Length(1, 200)
  title!: string;

  @IsUUID()
  providerAgencyId!: string;

  @IsArray()
  @ArrayMinSize(1)
  @IsIn(GSB_ENVIRONMENTS, { each: true })
  environments!: GsbEnvironment[];

  @IsIn(UPSTREAMS)
  upstream!: UpstreamName;

  @Matches(/^(\/[A-Za-z0-9._~-]+)*$/)
  path!: string;
}

class SeedFile {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => SeedService)
  services!: SeedService[];
}

/** The seed file validated (a bad file stops the boot naming each problem) → version-0 catalog entries. */
export function parseGsbSeed(raw: unknown, upstreamUrls: Record<UpstreamName, string>): CatalogEntry[] {
  const file = plainToInstance(SeedFile, raw);
  const errors = validateSync(file, { whitelist: true });
  if (errors.length > 0) throw new Error(`GSB seed file is invalid: ${JSON.stringify(errors.map((e) => e.toString()))}`);
  return file.services.map((s) => ({
    serviceCode: s.serviceCode,
    title: s.title,
    providerAgencyId: s.providerAgencyId,
    environments: s.environments,
    upstreamUrl: `${upstreamUrls[s.upstream].replace(/\/+$/, '')}${s.path}`,
    status: 'ACTIVE' as const,
    version: 0,
  }));
}
