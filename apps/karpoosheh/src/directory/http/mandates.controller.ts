import { Body, Controller, Delete, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { CurrentPrincipal, Roles, type Principal } from '@darvazeh/auth';
import { MandatesUseCases } from '../application/mandates.use-cases.js';

export class RegisterMandateDto {
  @ApiProperty({ example: '10380284790' })
  @IsString()
  @MaxLength(20)
  companyId!: string;

  @ApiProperty({ example: '0012345679' })
  @IsString()
  @MaxLength(20)
  representativeNationalCode!: string;
}

/** Company representatives, registered by an administrator (events on karpoosheh.mandates). */
@ApiTags('mandates')
@Controller('mandates')
@Roles('admin')
export class MandatesController {
  constructor(@Inject(MandatesUseCases) private readonly mandates: MandatesUseCases) {}

  @ApiOperation({ summary: 'Register a company representative (mandate)' })
  @Post()
  register(@CurrentPrincipal() p: Principal, @Body() body: RegisterMandateDto) {
    return this.mandates.register(body.companyId, body.representativeNationalCode, p.subject);
  }

  @ApiOperation({ summary: 'Revoke a mandate' })
  @Delete(':id')
  @HttpCode(204)
  async revoke(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string) {
    await this.mandates.revoke(id, p.subject);
  }
}
