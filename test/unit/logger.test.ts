import { Writable } from 'node:stream';
import { createLogger, logFormatFor } from '../../src/logger';

function capture(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return Object.assign(stream, { text: () => chunks.join('') });
}

describe('log format', () => {
  it('is pretty on a terminal in development and JSON in production, off a terminal, or when configured', () => {
    expect(logFormatFor({ env: 'development' }, true)).toBe('pretty');
    expect(logFormatFor({ env: 'development' }, false)).toBe('json');
    expect(logFormatFor({ env: 'production' }, true)).toBe('json');
    expect(logFormatFor({ env: 'production', ops: { logFormat: 'pretty' } }, false)).toBe('pretty');
    expect(logFormatFor({ env: 'development', ops: { logFormat: 'json' } }, true)).toBe('json');
  });

  it('writes one readable line per entry for a person: time, level, component, message, fields', () => {
    const out = capture();
    const logger = createLogger({ logLevel: 'info', env: 'development' }, 'appointflow', { stream: out, isTty: true });
    logger.child({ component: 'activities' }).warn({ appointmentId: 'a-1' }, 'reminder skipped');
    logger.info(
      { req: { method: 'GET', url: '/api/tasks' }, res: { statusCode: 200 }, responseTime: 12.4 },
      'request completed',
    );
    const plain = out
      .text()
      .replaceAll(String.fromCharCode(27), '')
      .replace(/\[[0-9;]*m/g, '');
    const lines = plain.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^\[\d{2}:\d{2}:\d{2}\.\d{3}\] WARN: \[activities\] reminder skipped \{"appointmentId":"a-1"\}$/,
    );
    expect(lines[1]).toMatch(/INFO: GET \/api\/tasks → 200 in 12 ms$/);
    expect(plain).not.toContain('"level"');
  });

  it('writes JSON lines for machines', () => {
    const out = capture();
    const logger = createLogger({ logLevel: 'info', env: 'production' }, 'appointflow-worker', {
      stream: out,
      isTty: true,
    });
    logger.info({ taskQueue: 'appointflow' }, 'worker running');
    const entry = JSON.parse(out.text().trim()) as Record<string, unknown>;
    expect(entry).toMatchObject({
      level: 30,
      msg: 'worker running',
      taskQueue: 'appointflow',
      service: 'appointflow-worker',
    });
  });
});
