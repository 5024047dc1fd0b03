import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';

export class AttachmentRefDto {
  @ApiProperty({ description: 'SHA-256 (hex) returned by POST /attachments' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 lowercase hex digits' })
  sha256!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(200)
  filename!: string;
}

/** `POST /notices` (JSON). Recipients are checked one by one by the use case (check digits). */
export class SendNoticeRequestDto {
  @ApiProperty({ type: [String], description: 'National codes (10 digits) and/or company national IDs (11 digits); up to MAX_RECIPIENTS_PER_NOTICE' })
  @IsArray()
  recipients!: string[];

  @ApiProperty({ maxLength: 300 })
  @IsString()
  @MaxLength(300)
  subject!: string;

  @ApiProperty({ maxLength: 100_000 })
  @IsString()
  @MaxLength(100_000)
  body!: string;

  @ApiPropertyOptional({ enum: ['text', 'html'], default: 'text' })
  @IsOptional()
  @IsIn(['text', 'html'])
  bodyFormat?: 'text' | 'html';

  @ApiProperty({ example: 'tax' })
  @IsString()
  @MaxLength(40)
  category!: string;

  @ApiPropertyOptional({ example: '2027-01-31' })
  @IsOptional()
  @IsString()
  dueDate?: string;

  @ApiPropertyOptional({ type: [AttachmentRefDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => AttachmentRefDto)
  attachments?: AttachmentRefDto[];
}
