export const STAFF_ROLES = ['admin', 'curator', 'viewer'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export const UI_LANGS = ['ja', 'th', 'en'] as const;
export type UiLang = (typeof UI_LANGS)[number];
