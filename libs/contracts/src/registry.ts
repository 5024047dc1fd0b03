import type { EventContract } from './define-event.js';
import {
  AgencyDisabledV1Contract,
  AgencyRegisteredV1Contract,
  CitizenRegisteredV1Contract,
  PrincipalDisabledV1Contract,
  PrincipalEnabledV1Contract,
} from './identity/index.js';
import {
  GsbServiceChangedV1Contract,
  GsbGrantIssuedV1Contract,
  GsbGrantSuspendedV1Contract,
  GsbGrantReinstatedV1Contract,
  GsbGrantRevokedV1Contract,
} from './gsb/index.js';
// The gateway's own gsb.exchanges contracts.
import { GsbExchangeLogHeadSignedV1Contract, GsbUsageSummarizedV1Contract } from './gsb/index.js';
import { GsbConnectionActivatedV1Contract, GsbRequestEscalatedV1Contract, GsbRequestTransitionedV1Contract } from './gsb/index.js';
import { GsbRequestEditedV1Contract } from './gsb/index.js';

import {
  DeviceRegisteredV1Contract,
  DeviceRegistrationRejectedV1Contract,
  DeviceTransferRequestedV1Contract,
  DeviceTransferredV1Contract,
  DeviceReportedStolenV1Contract,
  DeviceRecoveredV1Contract,
  DeviceBlockedV1Contract,
  DeviceUnblockedV1Contract,
  SightingReportedV1Contract,
  SubscriberOwnershipChangedV1Contract,
} from './hamta/index.js';
import {
  CertificateIssuedV1Contract,
  CertificateRevokedV1Contract,
  CertificateHeldV1Contract,
  CertificateReleasedV1Contract,
  CrlPublishedV1Contract,
} from "./pki/index.js";
import {
  NoticeRecipientAcceptedV1Contract,
  NoticeRecipientDeliveredV1Contract,
  NoticeRecipientViewedV1Contract,
  NoticeRecipientEffectiveV1Contract,
  NoticeRecipientCancelledV1Contract,
  NoticeRecipientFailedV1Contract,
  NoticeBatchAcceptedV1Contract,
  NoticeBatchCompletedV1Contract,
  SenderAccessRequestedV1Contract,
  SenderAccessGrantedV1Contract,
  SenderAccessSuspendedV1Contract,
  CompanyRepresentativeRegisteredV1Contract,
  CompanyRepresentativeRevokedV1Contract,
} from './karpoosheh/index.js';
// Every published event type, one line per contract (append-only; service owners add theirs
// under the git lock). asyncapi.yaml must list each of them: asyncapi.spec.ts fails otherwise.
export const EVENT_CONTRACTS: readonly EventContract[] = [
  AgencyRegisteredV1Contract,
  AgencyDisabledV1Contract,
  CitizenRegisteredV1Contract,
  DeviceRegisteredV1Contract,
  DeviceRegistrationRejectedV1Contract,
  DeviceTransferRequestedV1Contract,
  DeviceTransferredV1Contract,
  DeviceReportedStolenV1Contract,
  DeviceRecoveredV1Contract,
  DeviceBlockedV1Contract,
  DeviceUnblockedV1Contract,
  SightingReportedV1Contract,
  SubscriberOwnershipChangedV1Contract,
  CertificateIssuedV1Contract,
  CertificateRevokedV1Contract,
  CertificateHeldV1Contract,
  CertificateReleasedV1Contract,
  CrlPublishedV1Contract,
  NoticeRecipientAcceptedV1Contract,
  NoticeRecipientDeliveredV1Contract,
  NoticeRecipientViewedV1Contract,
  NoticeRecipientEffectiveV1Contract,
  NoticeRecipientCancelledV1Contract,
  NoticeRecipientFailedV1Contract,
  NoticeBatchAcceptedV1Contract,
  NoticeBatchCompletedV1Contract,
  SenderAccessRequestedV1Contract,
  SenderAccessGrantedV1Contract,
  SenderAccessSuspendedV1Contract,
  CompanyRepresentativeRegisteredV1Contract,
  CompanyRepresentativeRevokedV1Contract,
  PrincipalDisabledV1Contract,
  PrincipalEnabledV1Contract,
  GsbServiceChangedV1Contract,
  GsbGrantIssuedV1Contract,
  GsbGrantSuspendedV1Contract,
  GsbGrantReinstatedV1Contract,
  GsbGrantRevokedV1Contract,
  GsbExchangeLogHeadSignedV1Contract,
  GsbUsageSummarizedV1Contract,
  GsbRequestTransitionedV1Contract,
  GsbRequestEscalatedV1Contract,
  GsbConnectionActivatedV1Contract,
  GsbRequestEditedV1Contract,
];
