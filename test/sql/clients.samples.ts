import * as queries from '../../src/clients/clients.queries.js';
import { hashClientSecret, newClientId } from '../../src/clients/client-credentials.js';
import { insertUser } from '../support/factories.js';
import type { SqlSamples } from '../support/sql-snapshot.js';

interface Fixture {
  id: string;
  clientId: string;
  adminId: string;
}

export default {
  file: 'src/clients/clients.queries.ts',
  queries,
  /** A live client with one scope, registered by an SDP administrator. */
  async setup(db) {
    const admin = await insertUser(db, { role: 'sdp_admin' });
    const client = await queries.insertClient(db, {
      clientId: newClientId(),
      name: 'Example reporting service',
      partnershipId: null,
      expiresOn: null,
      secretHash: hashClientSecret('not-a-real-secret'),
      createdBy: admin.id,
      createdAt: new Date(),
    });
    await queries.addScopes(db, client.id, ['reports:read']);
    return { id: client.id, clientId: client.clientId, adminId: admin.id };
  },
  calls: {
    findLiveClient: (db, f) => queries.findLiveClient(db, f.id, 1, '2026-12-06', new Date()),
    clientByClientId: (db, f) => queries.clientByClientId(db, f.clientId),
    noteClientUsed: (db, f) => queries.noteClientUsed(db, f.id, new Date()),
    scopesOfClients: (db, f) => queries.scopesOfClients(db, [f.id]),
    addScopes: (db, f) => queries.addScopes(db, f.id, ['milestones:read']),
    insertClient: (db, f) =>
      queries.insertClient(db, {
        clientId: newClientId(),
        name: 'Another example service',
        partnershipId: null,
        expiresOn: '2027-01-31',
        secretHash: hashClientSecret('another-secret'),
        createdBy: f.adminId,
        createdAt: new Date(),
      }),
    listClients: (db) => queries.listClients(db, '0', 51),
    lockClient: (db, f) => queries.lockClient(db, f.id),
    rotateClientSecret: (db, f) => queries.rotateClientSecret(db, f.id, hashClientSecret('rotated-secret'), 2, new Date()),
    revokeClient: (db, f) => queries.revokeClient(db, f.id, new Date(), f.adminId),
  },
} satisfies SqlSamples<typeof queries, Fixture>;
