// Home Assistant's log file (GET /api/error_log) and system_log/list entries as short lines:
// "19:56:03 ERROR automation.hall: message | KeyError: 'x'", newest first, filtered by level and
// integration; a traceback becomes its last line (the exception), secrets are masked by the caller.
import { z } from 'zod';
import { formatTime } from './time.js';

export const LEVELS = ['debug', 'info', 'warning', 'error', 'critical'] as const;
export type Level = (typeof LEVELS)[number];
const rank = (l: string): number => LEVELS.indexOf(l.toLowerCase() as Level);

const LINE = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.\d+)? (DEBUG|INFO|WARNING|ERROR|CRITICAL) \(([^)]*)\) \[([^\]]+)\] ?(.*)$/;
const MAX_MESSAGE = 400;

export interface LogRecord {
  date: string;
  time: string;
  level: string;
  logger: string;
  message: string;
  /** The traceback's last line, when there is one. */
  exception?: string;
}

/** "homeassistant.components.zha.core" -> "zha.core"; "custom_components.hacs" -> "hacs (custom)". */
export function shortLogger(name: string): string {
  if (name.startsWith('homeassistant.components.')) return name.slice('homeassistant.components.'.length);
  if (name.startsWith('custom_components.')) return `${name.slice('custom_components.'.length)} (custom)`;
  return name.startsWith('homeassistant.') ? name.slice('homeassistant.'.length) : name;
}

/** Does this logger belong to the integration (its domain, e.g. "zha", "automation", "hacs")? */
export function ofIntegration(logger: string, integration: string): boolean {
  const i = integration.toLowerCase();
  return logger === i || logger.startsWith(`homeassistant.components.${i}.`) || logger === `homeassistant.components.${i}` || logger.startsWith(`custom_components.${i}`) || logger.startsWith(`${i}.`);
}

/** The records of the log text, oldest first (continuation lines belong to the record above). */
export function parseLog(text: string): LogRecord[] {
  const out: LogRecord[] = [];
  let last: LogRecord | undefined;
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (m) {
      last = { date: m[1]!, time: m[2]!, level: m[3]!, logger: m[5]!, message: m[6]! };
      out.push(last);
    } else if (last && line.trim()) {
      // Tracebacks: the exception line is the last unindented one.
      if (!/^\s/.test(line) && !line.startsWith('Traceback')) last.exception = line.trim();
    }
  }
  return out;
}

export interface LogFilter {
  level?: Level | undefined;
  integration?: string | undefined;
}

export function logWanted(r: { level: string; logger: string }, f: LogFilter): boolean {
  if (f.level && rank(r.level) < rank(f.level)) return false;
  return !f.integration || ofIntegration(r.logger, f.integration);
}

const cut = (s: string): string => (s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE - 1)}…` : s);

/** A record as a line; the date only when it differs from the line before (`prevDate`). */
export function logLine(r: LogRecord, prevDate: string | undefined): string {
  const when = r.date === prevDate ? r.time : `${r.date} ${r.time}`;
  return `${when} ${r.level} ${shortLogger(r.logger)}: ${cut(r.message)}${r.exception ? ` | ${cut(r.exception)}` : ''}`;
}

/** A system_log/list entry. */
export const SystemLogEntrySchema = z
  .object({
    name: z.string(),
    message: z.array(z.string()),
    level: z.string(),
    source: z.tuple([z.string(), z.number()]).or(z.array(z.unknown())).optional(),
    timestamp: z.number(),
    exception: z.string().optional(),
    count: z.number().optional(),
    first_occurred: z.number().optional(),
  })
  .loose();
export type SystemLogEntry = z.infer<typeof SystemLogEntrySchema>;

/** "2026-12-01 19:56:03 ERROR camera (8x since 19:48): newest message | KeyError: 'config'" */
export function systemLogLine(e: SystemLogEntry, tz: string): string {
  const count = e.count ?? 1;
  const since = count > 1 && e.first_occurred ? ` (${count}x since ${formatTime(e.first_occurred * 1000, tz)})` : '';
  const exception = e.exception ? e.exception.trim().split('\n').at(-1) : undefined;
  return `${formatTime(e.timestamp * 1000, tz, true)} ${e.level} ${shortLogger(e.name)}${since}: ${cut(e.message.at(-1) ?? '')}${exception ? ` | ${cut(exception)}` : ''}`;
}
