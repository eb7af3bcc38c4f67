import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { UsersModule } from '../users/users.module.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { JwtStrategy, TOKEN_ALGORITHM, tokenKey } from './jwt.strategy.js';
import { PrincipalChanges } from './principal-changes.service.js';
import { SignInRateLimitGuard } from './sign-in-rate-limit.guard.js';
import { UnlockLinks } from './unlock-links.service.js';

@Module({
  imports: [
    UsersModule,
    NotificationsModule,
    PassportModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const key = tokenKey(config.jwtSecret);
        // One key object for signing and verifying; see tokenKey.
        return {
          secretOrKeyProvider: () => key,
          signOptions: { algorithm: TOKEN_ALGORITHM },
          verifyOptions: { algorithms: [TOKEN_ALGORITHM] },
        };
      },
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, JwtStrategy, PrincipalChanges, SignInRateLimitGuard, UnlockLinks],
  // REST clients' tokens are signed with the same key (clients/client-tokens.service.ts).
  exports: [JwtModule, SignInRateLimitGuard],
})
export class AuthModule {}
