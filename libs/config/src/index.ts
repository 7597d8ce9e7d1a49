export { APP_CONFIG, type AppConfig, type DeadlineRules } from './app-config';
export { ConfigError, loadConfig } from './load-config';
export { ConfigModule } from './config.module';
export { EnvDto } from './env.dto';
