import type { Role } from './role';

/** The password of every demo user. Demo data only: `seed --demo` prints it; never use in production. */
export const DEMO_PASSWORD = 'Duban@2026';

/** Demo accounts: the bureau, several lead departments, a city bureau and a key assisted county. */
export const DEMO_USERS: { username: string; displayName: string; unitName: string; roles: Role[] }[] = [
  { username: 'admin', displayName: '系统管理员', unitName: '省乡村振兴局', roles: ['admin'] },
  { username: 'coordinator', displayName: '王协调（省乡村振兴局）', unitName: '省乡村振兴局', roles: ['coordinator'] },
  { username: 'bureau.head', displayName: '赵局长（省乡村振兴局）', unitName: '省乡村振兴局', roles: ['coordinator', 'unit_head'] },
  { username: 'auditor', displayName: '钱审计（只读）', unitName: '省乡村振兴局', roles: ['auditor'] },
  { username: 'czt.head', displayName: '孙处长（省财政厅）', unitName: '省财政厅', roles: ['unit_head'] },
  { username: 'czt.officer', displayName: '李经办（省财政厅）', unitName: '省财政厅', roles: ['officer'] },
  { username: 'fgw.officer', displayName: '周经办（省发展改革委）', unitName: '省发展改革委', roles: ['officer'] },
  { username: 'nynct.officer', displayName: '吴经办（省农业农村厅）', unitName: '省农业农村厅', roles: ['officer'] },
  { username: 'rst.officer', displayName: '郑经办（省人社厅）', unitName: '省人社厅', roles: ['officer'] },
  { username: 'shuozhou.head', displayName: '冯科长（朔州市乡村振兴局）', unitName: '朔州市乡村振兴局', roles: ['unit_head'] },
  { username: 'shuozhou.officer', displayName: '陈经办（朔州市乡村振兴局）', unitName: '朔州市乡村振兴局', roles: ['officer'] },
  { username: 'datong.officer', displayName: '褚经办（大同市乡村振兴局）', unitName: '大同市乡村振兴局', roles: ['officer'] },
  { username: 'yingxian.officer', displayName: '卫经办（应县）', unitName: '应县', roles: ['officer'] },
];
