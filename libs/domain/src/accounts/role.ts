/** Roles a user may hold. Persisted (users.roles): do not rename without a migration. */
export const ROLES = ['coordinator', 'unit_head', 'officer', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  coordinator: '省级协调员',
  unit_head: '单位负责人',
  officer: '经办人',
  auditor: '审计/只读',
  admin: '系统管理员',
};
