import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ClientTokenController } from './client-token.controller.js';
import { ClientTokensService } from './client-tokens.service.js';
import { ClientsController } from './clients.controller.js';
import { ClientsService } from './clients.service.js';

/** REST clients: their registration by the SDP, and the token endpoint of the client-credentials grant. */
@Module({
  imports: [AuthModule],
  controllers: [ClientsController, ClientTokenController],
  providers: [ClientsService, ClientTokensService],
})
export class ClientsModule {}
