export { JOBS, JOB_QUEUE, QUEUES, type JobName, type JobPayloads, type JobsOf, type QueueName } from './queue.constants';
export { JOB_OPTIONS, WORKER_OPTIONS } from './job-options';
export { QueueModule, REDIS } from './queue.module';
export { QueueProducer } from './queue.producer';
export { redisOptions } from './redis-connection';
