import { plainToInstance, Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsNumber, IsString, Length, Matches, Min, ValidateIf, ValidateNested, validateSync } from 'class-validator';
import { UPSTREAMS, type UpstreamName } from '../../edge/domain/route-table.js';

export class ServiceCard {
  /** The national e-service id (11 digits); null for processes without one. */
  @ValidateIf((_, v) => v !== null)
  @Matches(/^\d{11}$/)
  serviceId!: string | null;

  @IsString() @Length(1, 200) name!: string;
  @IsString() @Length(1, 200) agency!: string;
  @IsString() @Length(1, 200) parentMinistry!: string;
  @IsArray() @IsString({ each: true }) channels!: string[];

  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(0)
  declaredVolumePerDay!: number | null;

  @ValidateIf((_, v) => v !== null)
  @IsNumber()
  @Min(0)
  declaredServiceTimeMinutes!: number | null;

  @IsString() @Length(1, 200) citizenFacingStep!: string;

  @IsIn(UPSTREAMS)
  measure!: UpstreamName;
}

class CardFile {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ServiceCard)
  cards!: ServiceCard[];
}

/** The cards file validated at boot: a bad file stops the gateway naming each problem. */
export function parseServiceCards(raw: unknown): ServiceCard[] {
  const file = plainToInstance(CardFile, raw);
  const errors = validateSync(file, { whitelist: true });
  if (errors.length > 0) throw new Error(`service cards file is invalid: ${errors.map((e) => e.toString()).join('; ')}`);
  return file.cards;
}
