import type { TaskStatus } from './task.entity';

export const TASK_STATUS_LABELS: Record<TaskStatus, string> = {
  assigned: '待签收',
  accepted: '已签收',
  in_progress: '办理中',
  completion_requested: '申请办结',
  closed: '已销号',
  suspended: '已挂起',
};

/** Commands that move a task, the states they start from, and who may issue them. */
export const TASK_COMMANDS = {
  accept: { label: '签收', from: ['assigned'], by: 'lead' },
  start: { label: '开始办理', from: ['accepted'], by: 'lead' },
  requestCompletion: { label: '申请办结', from: ['accepted', 'in_progress'], by: 'lead' },
  confirmClose: { label: '确认销号', from: ['completion_requested'], by: 'coordinator' },
  refuseClose: { label: '退回办结申请', from: ['completion_requested'], by: 'coordinator' },
  suspend: { label: '挂起', from: ['assigned', 'accepted', 'in_progress', 'completion_requested'], by: 'coordinator' },
  resume: { label: '恢复', from: ['suspended'], by: 'coordinator' },
  reassign: { label: '改派', from: ['assigned', 'accepted', 'in_progress', 'suspended'], by: 'coordinator' },
  requestExtension: { label: '申请延期', from: ['assigned', 'accepted', 'in_progress'], by: 'lead' },
  report: { label: '报送进展', from: ['accepted', 'in_progress'], by: 'lead' },
  setDeadlineSettings: { label: '设置督办规则', from: ['assigned', 'accepted', 'in_progress', 'completion_requested', 'suspended'], by: 'coordinator' },
  setPriority: { label: '调整优先级', from: ['assigned', 'accepted', 'in_progress', 'completion_requested', 'suspended'], by: 'coordinator' },
} as const satisfies Record<string, { label: string; from: readonly TaskStatus[]; by: 'lead' | 'coordinator' }>;

export type TaskCommand = keyof typeof TASK_COMMANDS;
