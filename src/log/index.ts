// Public entry of the logger: leveled, structured, one line per entry.
export { Logger, log, setLogger, type LogFormat, type LogValue, type LoggerOptions } from './logger.js';
