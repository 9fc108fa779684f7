// Crash and error logs in the app's data folder (shown in the About dialog): electron-log writes
// logs/main.log and rotates it at 5 MB to main.old.log; native crash dumps stay local (never uploaded).
import { app, crashReporter } from 'electron';
import log from 'electron-log/main';
import { join } from 'node:path';

export function setUpLogging(logDir: string): typeof log {
  log.transports.file.resolvePathFn = () => join(logDir, 'main.log');
  log.transports.file.maxSize = 5 * 1024 * 1024;
  log.transports.console.level = app.isPackaged ? false : 'info';
  log.errorHandler.startCatching({ showDialog: false });
  app.setPath('crashDumps', join(logDir, 'crashes'));
  crashReporter.start({ uploadToServer: false });
  return log;
}
