import { Body, Controller, Delete, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentPrincipal } from '../auth/auth.guard';
import { type Principal, actorOf } from '../auth/principal';
import { parseOrThrow } from '../common/zod-validation';
import { newStaffBody, newTokenBody, staffUpdateBody, uuidParam } from './console.dto';
import { StaffAdminService } from './staff-admin.service';

/** Staff accounts and API tokens: admins only. */
@ApiTags('console')
@Controller('api/console')
export class ConsoleAdminController {
  constructor(private readonly admin: StaffAdminService) {}

  @Get('staff')
  @Auth('admin')
  @ApiOperation({ summary: 'Staff accounts (never with password hashes)' })
  async listStaff() {
    return { items: await this.admin.listStaff() };
  }

  @Post('staff')
  @Auth('admin')
  @ApiOperation({ summary: 'Create a staff account (password ≥ 12 characters, hashed with argon2id)' })
  createStaff(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    return this.admin.createStaff(parseOrThrow(newStaffBody, body), actorOf(principal));
  }

  @Patch('staff/:id')
  @Auth('admin')
  @ApiOperation({
    summary: 'Change name, role, disabled or password; role/disable/password end its sessions',
  })
  updateStaff(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    return this.admin.updateStaff(
      parseOrThrow(uuidParam, id),
      parseOrThrow(staffUpdateBody, body),
      principal,
    );
  }

  @Delete('staff/:id/sessions')
  @Auth('admin')
  @ApiOperation({ summary: 'Sign a staff member out everywhere' })
  endSessions(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.admin.endSessions(parseOrThrow(uuidParam, id), principal);
  }

  @Get('tokens')
  @Auth('admin')
  @ApiOperation({ summary: 'API tokens (names, roles, last use; never the tokens)' })
  async listTokens() {
    return { items: await this.admin.listTokens() };
  }

  @Post('tokens')
  @Auth('admin')
  @ApiOperation({ summary: 'Create an API token; the answer is the only time it is shown' })
  createToken(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const { name, role } = parseOrThrow(newTokenBody, body);
    return this.admin.createToken(name, role, principal);
  }

  @Delete('tokens/:id')
  @Auth('admin')
  @ApiOperation({ summary: 'Revoke an API token' })
  revokeToken(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.admin.revokeToken(parseOrThrow(uuidParam, id), principal);
  }
}
