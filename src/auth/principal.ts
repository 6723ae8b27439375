export const ROLES = ['admin', 'curator', 'viewer', 'partner'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: an API token, a signed-in staff member, or a firm's linked chat user acting on its own profile. */
export interface Principal {
  kind: 'token' | 'admin-env' | 'session' | 'chat';
  id: string;
  name: string;
  role: Role;
}

/**
 * What each role may do. Staff roles are nested (admin ⊃ curator ⊃ viewer); `partner` is a token for host
 * sites and partner systems that may match and translate but not read or edit the staff data.
 */
const GRANTS: Record<Role, readonly Role[]> = {
  admin: ['admin', 'curator', 'viewer', 'partner'],
  curator: ['curator', 'viewer', 'partner'],
  viewer: ['viewer', 'partner'],
  partner: ['partner'],
};

export function roleAllows(actual: Role, required: Role): boolean {
  return GRANTS[actual].includes(required);
}

/** The audit log's actor string. */
export const actorOf = (p: Principal): string => `${p.kind}:${p.name}`;
