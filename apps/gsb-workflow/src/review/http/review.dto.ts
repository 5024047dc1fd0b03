import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { toBoolean } from '@darvazeh/config';
import { CursorQueryDto } from '@darvazeh/http';
import { PRIORITIES } from '../../requests/domain/request.js';

export class QueueQueryDto extends CursorQueryDto {
  @ApiPropertyOptional({ description: 'comma list; default SUBMITTED,IN_REVIEW,PENDING_SECOND_APPROVAL' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  state?: string;

  @ApiPropertyOptional({ enum: PRIORITIES }) @IsOptional() @IsIn(PRIORITIES) priority?: string;
  @ApiPropertyOptional({ enum: ['GSB', 'PGSB'] }) @IsOptional() @IsIn(['GSB', 'PGSB']) environment?: string;
  @ApiPropertyOptional({ description: 'provider agency of the requested service' }) @IsOptional() @IsUUID() provider?: string;
  @ApiPropertyOptional({ description: 'applicant agency' }) @IsOptional() @IsUUID() agency?: string;
  @ApiPropertyOptional({ enum: ['SERVICE', 'CONNECTION'] }) @IsOptional() @IsIn(['SERVICE', 'CONNECTION']) kind?: string;
  @ApiPropertyOptional({ description: 'submitted at least this many hours ago' }) @IsOptional() @Type(() => Number) @IsNumber() @Min(0) minAgeHours?: number;
  @ApiPropertyOptional() @IsOptional() @Transform(toBoolean) @IsBoolean() escalated?: boolean;
}

export class EvaluationRequestDto {
  @IsBoolean() qualified!: boolean;
  @IsIn(PRIORITIES) priority!: (typeof PRIORITIES)[number];
  @IsOptional() @IsString() @MaxLength(4000) notes?: string;
}

export class FixDto {
  @IsString() @MinLength(1) @MaxLength(200) field!: string;
  @IsString() @MinLength(1) @MaxLength(1000) message!: string;
}

export class ReturnRequestDto {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => FixDto) fixes!: FixDto[];
  @IsOptional() @IsString() @MaxLength(4000) comment?: string;
}

export class RejectRequestDto {
  @IsString() @MinLength(1) @MaxLength(4000) reason!: string;
}

export class ApproveRequestDto {
  @IsOptional() @IsInt() @Min(1) @Max(1_000_000) quotaPerMinute?: number;
  @IsOptional() @IsInt() @Min(1) @Max(1_000_000_000) quotaPerDay?: number;
  @ApiPropertyOptional({ description: 'end of validity (ISO 8601); default GRANT_DEFAULT_VALIDITY_DAYS' }) @IsOptional() @IsISO8601() validUntil?: string;
  @IsOptional() @IsString() @MaxLength(4000) comment?: string;
}
