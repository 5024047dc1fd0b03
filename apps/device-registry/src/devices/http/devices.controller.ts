import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { CurrentPrincipal, Roles, type Principal } from '@darvazeh/auth';
import { CursorQueryDto, pageSize } from '@darvazeh/http';
import { IsCleanText } from '../../shared/http/clean-text.validator.js';
import { requireNationalCode } from '../../shared/http/principal-guards.js';
import { DeviceQueries } from '../application/device-queries.js';
import { AcceptTransferUseCase } from '../application/accept-transfer.use-case.js';
import { BlockDeviceUseCase } from '../application/block-device.use-case.js';
import { CancelTransferUseCase } from '../application/cancel-transfer.use-case.js';
import { RecoverDeviceUseCase } from '../application/recover-device.use-case.js';
import { ReportStolenUseCase } from '../application/report-stolen.use-case.js';
import { StartTransferUseCase } from '../application/start-transfer.use-case.js';
import { UnblockDeviceUseCase } from '../application/unblock-device.use-case.js';

export class StartTransferRequestDto {
  @ApiProperty({ example: '0084575948' })
  @Matches(/^[0-9]{10}$/, { message: 'toNationalCode must be 10 digits' })
  toNationalCode!: string;
}

export class BlockRequestDto {
  @ApiProperty({ example: 'court order 1403/123' })
  @IsString()
  @Length(3, 500)
  @IsCleanText()
  reason!: string;
}

const uuid = new ParseUUIDPipe({ version: undefined });

/** Device management for owners (citizens). Responses are views, never rows. */
@ApiTags('devices')
@ApiBearerAuth()
@Controller('devices')
@Roles('citizen')
export class DevicesController {
  constructor(
    @Inject(DeviceQueries) private readonly queries: DeviceQueries,
    @Inject(ReportStolenUseCase) private readonly reportStolen: ReportStolenUseCase,
    @Inject(RecoverDeviceUseCase) private readonly recover: RecoverDeviceUseCase,
    @Inject(StartTransferUseCase) private readonly startTransfer: StartTransferUseCase,
    @Inject(AcceptTransferUseCase) private readonly acceptTransfer: AcceptTransferUseCase,
    @Inject(CancelTransferUseCase) private readonly cancelTransfer: CancelTransferUseCase,
  ) {}

  @Get()
  @ApiOperation({ summary: "The caller's devices, cursor-paginated" })
  list(@CurrentPrincipal() p: Principal, @Query() q: CursorQueryDto) {
    return this.queries.myDevices(requireNationalCode(p), pageSize(q), q.cursor);
  }

  @Get('transfers')
  @ApiOperation({ summary: 'Ownership transfers from or to the caller' })
  transfers(@CurrentPrincipal() p: Principal, @Query() q: CursorQueryDto) {
    return this.queries.myTransfers(requireNationalCode(p), pageSize(q), q.cursor);
  }

  @Post('transfers/:transferId/accept')
  @ApiOperation({ summary: 'Accept a transfer (receiver only): ownership moves to the caller' })
  @HttpCode(200)
  accept(@CurrentPrincipal() p: Principal, @Param('transferId', uuid) id: string) {
    return this.acceptTransfer.execute({ transferId: id, nationalCode: requireNationalCode(p) });
  }

  @Post('transfers/:transferId/cancel')
  @ApiOperation({ summary: 'Cancel a pending transfer (either side)' })
  @HttpCode(200)
  cancel(@CurrentPrincipal() p: Principal, @Param('transferId', uuid) id: string) {
    return this.cancelTransfer.execute({ transferId: id, nationalCode: requireNationalCode(p) });
  }

  @Get(':deviceId')
  @ApiOperation({ summary: "One of the caller's devices with its status" })
  get(@CurrentPrincipal() p: Principal, @Param('deviceId', uuid) id: string) {
    return this.queries.myDevice(requireNationalCode(p), id);
  }

  @Get(':deviceId/history')
  @ApiOperation({ summary: "A device's history, as far as the caller may see it" })
  history(@CurrentPrincipal() p: Principal, @Param('deviceId', uuid) id: string, @Query() q: CursorQueryDto) {
    return this.queries.history(requireNationalCode(p), id, pageSize(q), q.cursor);
  }

  @Post(':deviceId/stolen-report')
  @ApiOperation({ summary: 'Report the device lost or stolen (it becomes black in the EIR)' })
  @HttpCode(200)
  stolen(@CurrentPrincipal() p: Principal, @Param('deviceId', uuid) id: string) {
    return this.reportStolen.execute({ deviceId: id, nationalCode: requireNationalCode(p) });
  }

  @Post(':deviceId/recovery')
  @ApiOperation({ summary: 'Report a stolen device recovered' })
  @HttpCode(200)
  recovered(@CurrentPrincipal() p: Principal, @Param('deviceId', uuid) id: string) {
    return this.recover.execute({ deviceId: id, nationalCode: requireNationalCode(p) });
  }

  @Post(':deviceId/transfers')
  @ApiOperation({ summary: 'Start an ownership transfer to another national code' })
  @HttpCode(201)
  transfer(@CurrentPrincipal() p: Principal, @Param('deviceId', uuid) id: string, @Body() body: StartTransferRequestDto) {
    return this.startTransfer.execute({ deviceId: id, nationalCode: requireNationalCode(p), toNationalCode: body.toNationalCode });
  }
}

/** The regulator's block/unblock of any registered device, with a reason. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/devices')
@Roles('admin')
export class AdminDevicesController {
  constructor(
    @Inject(BlockDeviceUseCase) private readonly blockDevice: BlockDeviceUseCase,
    @Inject(UnblockDeviceUseCase) private readonly unblockDevice: UnblockDeviceUseCase,
  ) {}

  @Post(':deviceId/block')
  @ApiOperation({ summary: "Block a device (regulator's order, with a reason)" })
  @HttpCode(200)
  block(@CurrentPrincipal() p: Principal, @Param('deviceId', uuid) id: string, @Body() body: BlockRequestDto) {
    return this.blockDevice.execute({ deviceId: id, reason: body.reason, adminSubject: p.subject });
  }

  @Post(':deviceId/unblock')
  @ApiOperation({ summary: 'Lift a block (with a reason)' })
  @HttpCode(200)
  unblock(@CurrentPrincipal() p: Principal, @Param('deviceId', uuid) id: string, @Body() body: BlockRequestDto) {
    return this.unblockDevice.execute({ deviceId: id, reason: body.reason, adminSubject: p.subject });
  }
}
