import { Inject, Injectable } from '@nestjs/common';
import { isStaff, type Actor } from '../../shared/domain/actor.js';
import { ConnectionRepository, type Connection } from '../domain/connection.repository.js';

/** Who asks decides whose connections they read. */
@Injectable()
export class ConnectionQueries {
  constructor(@Inject(ConnectionRepository) private readonly connections: ConnectionRepository) {}

  /** An agency reads its own connections; experts and admins one agency's (`agencyId`) or all. */
  list(actor: Actor, agencyId?: string): Promise<Connection[]> {
    const whose = isStaff(actor) ? (agencyId ?? null) : (actor.agencyId ?? '00000000-0000-0000-0000-000000000000');
    return this.connections.list(whose);
  }
}
