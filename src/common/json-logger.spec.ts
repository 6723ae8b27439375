import { JsonLogger } from './json-logger';
import { requestContext } from './request-context';

describe('JsonLogger', () => {
  const capture = () => {
    const lines: Array<Record<string, unknown>> = [];
    return {
      lines,
      logger: new JsonLogger('info', (l) => lines.push(JSON.parse(l) as Record<string, unknown>)),
    };
  };

  it('writes one JSON object per line with the request id of the current context', () => {
    const { lines, logger } = capture();
    requestContext.run({ requestId: 'req-1' }, () => logger.log({ msg: 'imported', count: 3 }, 'Import'));
    expect(lines[0]).toMatchObject({
      level: 'info',
      context: 'Import',
      requestId: 'req-1',
      msg: 'imported',
      count: 3,
    });
  });

  it('keeps the message of an Error', () => {
    const { lines, logger } = capture();
    logger.error(new Error('prompt "reply" is missing {{lang}}'));
    expect(lines[0].msg).toBe('Error: prompt "reply" is missing {{lang}}');
  });

  it('drops lines below its level', () => {
    const { lines, logger } = capture();
    logger.debug('noise');
    expect(lines).toEqual([]);
  });
});
