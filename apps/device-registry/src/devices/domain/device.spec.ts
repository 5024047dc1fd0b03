import { checkAcceptedByReceiver, decideTransfer, Device, deviceForAccept, openTransferOf, type DeviceState, type TransferState } from './device.js';

const OWNER = '0084575948';
const OTHER = '0013542419';

const state = (over: Partial<DeviceState> = {}): DeviceState => ({
  id: 'd1',
  ownerNationalCode: OWNER,
  msisdn: '989121234567',
  stolen: false,
  blocked: false,
  blockReason: null,
  registeredAt: new Date('2026-01-01T00:00:00Z'),
  imeis: ['490154203237518'],
  cores: [49015420323751],
  ...over,
});
const transfer = (over: Partial<TransferState> = {}): TransferState => ({
  id: 't1',
  deviceId: 'd1',
  fromNationalCode: OWNER,
  toNationalCode: OTHER,
  status: 'pending',
  createdAt: new Date('2026-01-02T00:00:00Z'),
  decidedAt: null,
  imeis: ['490154203237518'],
  ...over,
});
const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
};

describe('Device: who may see it', () => {
  it("answers someone else's device like a missing one", () => {
    expect(codeOf(() => Device.ownedBy(state(), 'd1', OTHER))).toBe('HAMTA.DEVICE_NOT_FOUND');
    expect(codeOf(() => Device.ownedBy(null, 'd1', OWNER))).toBe('HAMTA.DEVICE_NOT_FOUND');
    expect(Device.ownedBy(state(), 'd1', OWNER).state.id).toBe('d1');
  });
  it('lets the regulator reach any device but not a missing one', () => {
    expect(Device.existing(state({ ownerNationalCode: OTHER }), 'd1').state.id).toBe('d1');
    expect(codeOf(() => Device.existing(null, 'd1'))).toBe('HAMTA.DEVICE_NOT_FOUND');
  });
});

describe('Device: stolen and recovered', () => {
  it('reports an active device stolen and puts it on the black list', () => {
    const d = Device.restore(state());
    expect(d.reportStolen()).toEqual({ change: 'added', reason: 'REPORTED_STOLEN' });
    expect(d.state.stolen).toBe(true);
  });
  it('reports a blocked device stolen without a second black-list entry', () => {
    const d = Device.restore(state({ blocked: true, blockReason: 'court' }));
    expect(d.reportStolen()).toBeNull();
    expect(d.state.stolen).toBe(true);
  });
  it('refuses to report a stolen device again', () => {
    expect(codeOf(() => Device.restore(state({ stolen: true })).reportStolen())).toBe('HAMTA.ALREADY_REPORTED_STOLEN');
  });
  it('recovers a stolen device and takes it off the black list', () => {
    const d = Device.restore(state({ stolen: true }));
    expect(d.recover()).toEqual({ change: 'removed', reason: 'RECOVERED' });
    expect(d.state.stolen).toBe(false);
  });
  it('keeps a recovered device on the black list while it is blocked', () => {
    expect(Device.restore(state({ stolen: true, blocked: true })).recover()).toBeNull();
  });
  it('refuses to recover a device that is not reported stolen', () => {
    expect(codeOf(() => Device.restore(state()).recover())).toBe('HAMTA.NOT_REPORTED_STOLEN');
  });
});

describe('Device: block and unblock', () => {
  it('blocks with a reason and puts it on the black list', () => {
    const d = Device.restore(state());
    expect(d.block('court order')).toEqual({ change: 'added', reason: 'BLOCKED' });
    expect(d.state).toMatchObject({ blocked: true, blockReason: 'court order' });
  });
  it('blocks a stolen device without a second black-list entry', () => {
    expect(Device.restore(state({ stolen: true })).block('court order')).toBeNull();
  });
  it('refuses to block a blocked device', () => {
    expect(codeOf(() => Device.restore(state({ blocked: true, blockReason: 'x' })).block('again'))).toBe('HAMTA.ALREADY_BLOCKED');
  });
  it('unblocks, clearing the reason, and takes it off the black list', () => {
    const d = Device.restore(state({ blocked: true, blockReason: 'court' }));
    expect(d.unblock()).toEqual({ change: 'removed', reason: 'UNBLOCKED' });
    expect(d.state).toMatchObject({ blocked: false, blockReason: null });
  });
  it('keeps an unblocked device on the black list while it is stolen', () => {
    expect(Device.restore(state({ stolen: true, blocked: true, blockReason: 'x' })).unblock()).toBeNull();
  });
  it('refuses to unblock a device that is not blocked', () => {
    expect(codeOf(() => Device.restore(state()).unblock())).toBe('HAMTA.NOT_BLOCKED');
  });
});

describe('Device: starting a transfer', () => {
  it('refuses an invalid national code and a transfer to oneself', () => {
    expect(codeOf(() => Device.checkTransferRequest(OWNER, '0084575949'))).toBe('HAMTA.NATIONAL_CODE_INVALID');
    expect(codeOf(() => Device.checkTransferRequest(OWNER, OWNER))).toBe('HAMTA.TRANSFER_TO_SELF');
    expect(() => Device.checkTransferRequest(OWNER, OTHER)).not.toThrow();
  });
  it('opens a pending transfer from the owner', () => {
    const at = new Date('2026-02-01T00:00:00Z');
    expect(Device.restore(state()).startTransfer({ id: 't9', to: OTHER, at, pending: null })).toEqual({
      id: 't9',
      deviceId: 'd1',
      fromNationalCode: OWNER,
      toNationalCode: OTHER,
      status: 'pending',
      createdAt: at,
      decidedAt: null,
      imeis: ['490154203237518'],
    });
  });
  it('refuses to transfer a stolen or blocked device, saying what to do', () => {
    const at = new Date();
    let err: { code?: string; hint?: string } = {};
    try {
      Device.restore(state({ stolen: true })).startTransfer({ id: 't', to: OTHER, at, pending: null });
    } catch (e) {
      err = e as typeof err;
    }
    expect(err).toMatchObject({ code: 'HAMTA.TRANSFER_NOT_ALLOWED', hint: 'Mark it recovered first.' });
    expect(codeOf(() => Device.restore(state({ blocked: true })).startTransfer({ id: 't', to: OTHER, at, pending: null }))).toBe('HAMTA.TRANSFER_NOT_ALLOWED');
  });
  it('refuses a second transfer while one is pending', () => {
    expect(codeOf(() => Device.restore(state()).startTransfer({ id: 't2', to: OTHER, at: new Date(), pending: transfer() }))).toBe('HAMTA.TRANSFER_PENDING');
  });
});

describe('Device: accepting and cancelling a transfer', () => {
  it('finds only open transfers the caller is a party of', () => {
    expect(codeOf(() => openTransferOf(null, 't1', OWNER))).toBe('HAMTA.TRANSFER_NOT_FOUND');
    expect(codeOf(() => openTransferOf(transfer(), 't1', '1111111111'))).toBe('HAMTA.TRANSFER_NOT_FOUND');
    expect(codeOf(() => openTransferOf(transfer({ status: 'accepted' }), 't1', OTHER))).toBe('HAMTA.TRANSFER_CLOSED');
    expect(openTransferOf(transfer(), 't1', OWNER).id).toBe('t1');
  });
  it('lets only the receiver accept', () => {
    expect(codeOf(() => checkAcceptedByReceiver(transfer(), OWNER))).toBe('HAMTA.TRANSFER_NOT_RECEIVER');
    expect(() => checkAcceptedByReceiver(transfer(), OTHER)).not.toThrow();
  });
  it('moves ownership to the receiver', () => {
    const d = deviceForAccept(state());
    d.acceptTransfer(transfer());
    expect(d.state.ownerNationalCode).toBe(OTHER);
  });
  it('refuses when the device changed owner, was reported stolen, blocked or is gone', () => {
    expect(codeOf(() => deviceForAccept(state({ ownerNationalCode: '1111111111' })).acceptTransfer(transfer()))).toBe('HAMTA.TRANSFER_NOT_ALLOWED');
    expect(codeOf(() => deviceForAccept(state({ stolen: true })).acceptTransfer(transfer()))).toBe('HAMTA.TRANSFER_NOT_ALLOWED');
    expect(codeOf(() => deviceForAccept(state({ blocked: true })).acceptTransfer(transfer()))).toBe('HAMTA.TRANSFER_NOT_ALLOWED');
    expect(codeOf(() => deviceForAccept(null))).toBe('HAMTA.TRANSFER_NOT_ALLOWED');
  });
  it('records the decision on the transfer', () => {
    const at = new Date('2026-03-01T00:00:00Z');
    expect(decideTransfer(transfer(), 'cancelled', at)).toMatchObject({ status: 'cancelled', decidedAt: at });
  });
});
