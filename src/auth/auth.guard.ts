import {
  applyDecorators,
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { ProblemException } from '../common/problem';
import { AuthService } from './auth.service';
import { type Principal, type Role, roleAllows } from './principal';

const REQUIRED_ROLE = 'kakehashi:required-role';

type AuthedRequest = Request & { principal?: Principal };

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const required = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    if (!required) return true;
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const principal = await this.auth.authenticate(req);
    if (!principal) {
      throw new ProblemException(
        401,
        'unauthenticated',
        'Authentication required',
        'Send a valid token as `Authorization: Bearer <token>`.',
      );
    }
    if (!roleAllows(principal.role, required)) {
      throw new ProblemException(
        403,
        'forbidden',
        'Forbidden',
        `This needs the ${required} role; your token has ${principal.role}.`,
      );
    }
    req.principal = principal;
    return true;
  }
}

/** Requires a caller whose role grants `role` (admin ⊃ curator ⊃ viewer ⊃ partner). */
export const Auth = (role: Role) =>
  applyDecorators(
    SetMetadata(REQUIRED_ROLE, role),
    UseGuards(AuthGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No token or an unknown one (problem+json)' }),
    ApiForbiddenResponse({ description: 'The token’s role does not allow this (problem+json)' }),
  );

/** The authenticated caller (set by AuthGuard). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const p = ctx.switchToHttp().getRequest<AuthedRequest>().principal;
  if (!p) throw new Error('CurrentPrincipal used on a route without @Auth');
  return p;
});
