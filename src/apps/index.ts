/** Installed apps: their configs and the import of their models. */
export {
  resolveAppConfig,
  populateApps,
  appConfigs,
  resetAppConfigs,
  type AppConfig,
  type AppConfigOptions,
} from './config.js';
