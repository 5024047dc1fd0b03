import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Header } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@darvazeh/auth';
import { CursorQueryDto, decodeCursor, pageSize, toCursorPage, type CursorPage } from '@darvazeh/http';
import { requirePrincipal } from '../../http/principal-of.js';
import { GetAgencyUseCase } from '../application/get-agency.use-case.js';
import { ListAgenciesUseCase } from '../application/list-agencies.use-case.js';
import { DisableAgencyUseCase } from '../application/disable-agency.use-case.js';
import { RegisterAgencyUseCase } from '../application/register-agency.use-case.js';
import { RotateAgencySecretUseCase } from '../application/rotate-agency-secret.use-case.js';
import { AgencyNotFoundError } from '../domain/agency.errors.js';
import {
  AgencyResponseDto,
  CredentialsResponseDto,
  RegisterAgencyRequestDto,
  RegisteredAgencyResponseDto,
} from './agency.dto.js';

@ApiTags('agencies')
@ApiBearerAuth()
@Controller('agencies')
export class AgenciesController {
  constructor(
    private readonly register: RegisterAgencyUseCase,
    private readonly rotate: RotateAgencySecretUseCase,
    private readonly disable: DisableAgencyUseCase,
    private readonly getOne: GetAgencyUseCase,
    private readonly list: ListAgenciesUseCase,
  ) {}

  @Post()
  @Roles('admin')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Register an agency (its client secret is shown once)' })
  async create(@Body() body: RegisterAgencyRequestDto): Promise<RegisteredAgencyResponseDto> {
    const { agency, credentials } = await this.register.execute(body);
    return Object.assign(new RegisteredAgencyResponseDto(), AgencyResponseDto.from(agency, credentials.clientId), {
      clientSecret: credentials.clientSecret,
    });
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'List agencies' })
  async index(@Query() query: CursorQueryDto): Promise<CursorPage<AgencyResponseDto>> {
    const limit = pageSize(query);
    const after = query.cursor
      ? decodeCursor(query.cursor, (v): v is { id: string } => typeof v.id === 'string').id
      : undefined;
    const rows = await this.list.execute({ limit, after });
    return toCursorPage(rows, limit, (v) => ({ id: v.agency.id }), (v) => AgencyResponseDto.from(v.agency, v.clientId));
  }

  /** An agency reads its own record (from its token's agency_id). */
  @Get('me')
  @Roles('agency')
  @ApiOperation({ summary: 'The calling agency\'s own record' })
  async me(@CurrentPrincipal() principal: Principal | undefined): Promise<AgencyResponseDto> {
    const agencyId = requirePrincipal(principal).agencyId;
    if (!agencyId) throw new AgencyNotFoundError('me');
    const { agency, clientId } = await this.getOne.execute({ agencyId });
    return AgencyResponseDto.from(agency, clientId);
  }

  @Get(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'Get one agency' })
  async show(@Param('id', new ParseUUIDPipe()) id: string): Promise<AgencyResponseDto> {
    const { agency, clientId } = await this.getOne.execute({ agencyId: id });
    return AgencyResponseDto.from(agency, clientId);
  }

  @Post(':id/secret')
  @Roles('admin')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Rotate an agency\'s client secret (shown once)' })
  async rotateSecret(@Param('id', new ParseUUIDPipe()) id: string): Promise<CredentialsResponseDto> {
    return Object.assign(new CredentialsResponseDto(), await this.rotate.execute({ agencyId: id }));
  }

  @Post(':id/disable')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable an agency and its client' })
  async disableAgency(@Param('id', new ParseUUIDPipe()) id: string): Promise<AgencyResponseDto> {
    const agency = await this.disable.execute({ agencyId: id });
    const { clientId } = await this.getOne.execute({ agencyId: agency.id });
    return AgencyResponseDto.from(agency, clientId);
  }
}
