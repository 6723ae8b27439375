import { Global, Module } from '@nestjs/common';
import { ApiTokenRepository } from './api-token.repository';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';

@Global()
@Module({
  providers: [ApiTokenRepository, AuthService, AuthGuard],
  exports: [ApiTokenRepository, AuthService, AuthGuard],
})
export class AuthModule {}
