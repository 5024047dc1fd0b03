import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@darvazeh/auth';
import { CursorQueryDto, decodeCursor, pageSize, toCursorPage, type CursorPage } from '@darvazeh/http';
import { CredentialsResponseDto } from '../../agencies/http/agency.dto.js';
import { CreateServicePrincipalUseCase } from '../application/create-service-principal.use-case.js';
import { DisableServicePrincipalUseCase } from '../application/disable-service-principal.use-case.js';
import { EnableServicePrincipalUseCase } from '../application/enable-service-principal.use-case.js';
import { GetServicePrincipalUseCase } from '../application/get-service-principal.use-case.js';
import { ListServicePrincipalsUseCase } from '../application/list-service-principals.use-case.js';
import { RotateServicePrincipalSecretUseCase } from '../application/rotate-service-principal-secret.use-case.js';
import { CreatedPrincipalResponseDto, CreatePrincipalRequestDto, PrincipalResponseDto } from './principal.dto.js';

/** Operators, CA operators, ITO experts and admins: service principals with client credentials. */
@ApiTags('principals')
@ApiBearerAuth()
@Roles('admin')
@Controller('principals')
export class PrincipalsController {
  constructor(
    private readonly create: CreateServicePrincipalUseCase,
    private readonly rotate: RotateServicePrincipalSecretUseCase,
    private readonly disable: DisableServicePrincipalUseCase,
    private readonly enable: EnableServicePrincipalUseCase,
    private readonly getOne: GetServicePrincipalUseCase,
    private readonly list: ListServicePrincipalsUseCase,
  ) {}

  @Post()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Create a service principal (operator, ca, expert, admin)' })
  async createPrincipal(@Body() body: CreatePrincipalRequestDto): Promise<CreatedPrincipalResponseDto> {
    const { principal, credentials } = await this.create.execute(body);
    return Object.assign(new CreatedPrincipalResponseDto(), PrincipalResponseDto.from(principal), {
      clientSecret: credentials.clientSecret,
    });
  }

  @Get()
  @ApiOperation({ summary: 'List service principals' })
  async index(@Query() query: CursorQueryDto): Promise<CursorPage<PrincipalResponseDto>> {
    const limit = pageSize(query);
    const after = query.cursor
      ? decodeCursor(query.cursor, (v): v is { id: string } => typeof v.id === 'string').id
      : undefined;
    const rows = await this.list.execute({ limit, after });
    return toCursorPage(rows, limit, (c) => ({ id: c.id }), (c) => PrincipalResponseDto.from(c));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get one service principal' })
  async show(@Param('id', new ParseUUIDPipe()) id: string): Promise<PrincipalResponseDto> {
    return PrincipalResponseDto.from(await this.getOne.execute({ principalId: id }));
  }

  @Post(':id/secret')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Rotate a principal\'s client secret (shown once)' })
  async rotateSecret(@Param('id', new ParseUUIDPipe()) id: string): Promise<CredentialsResponseDto> {
    return Object.assign(new CredentialsResponseDto(), await this.rotate.execute({ principalId: id }));
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable a principal (its tokens are refused everywhere)' })
  async disablePrincipal(@Param('id', new ParseUUIDPipe()) id: string): Promise<PrincipalResponseDto> {
    return PrincipalResponseDto.from(await this.disable.execute({ principalId: id }));
  }

  @Post(':id/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a disabled principal' })
  async enablePrincipal(@Param('id', new ParseUUIDPipe()) id: string): Promise<PrincipalResponseDto> {
    return PrincipalResponseDto.from(await this.enable.execute({ principalId: id }));
  }
}
