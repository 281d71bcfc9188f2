import 'reflect-metadata';
import { ListClientsQueryDto } from '../clients/dto/client-input.dto.js';
import { ValidationProblem } from './problem.js';
import { StrictValidationPipe } from './validation.js';

/** Issue 14, perf: the query fast path hands out the transformed values, a fresh instance each time. */
describe('StrictValidationPipe query fast path', () => {
  const pipe = new StrictValidationPipe();
  const meta = { type: 'query' as const, metatype: ListClientsQueryDto, data: undefined };

  it('a query seen before gets a fresh instance of the DTO with the transformed values', async () => {
    const first = (await pipe.transform({ limit: '7', sort: 'name' }, meta)) as ListClientsQueryDto;
    const again = (await pipe.transform({ limit: '7', sort: 'name' }, meta)) as ListClientsQueryDto;
    for (const result of [first, again]) {
      expect(result).toBeInstanceOf(ListClientsQueryDto);
      expect(result.limit).toBe(7);
      expect(result.sort).toBe('name');
    }
    expect(again).not.toBe(first);
    again.limit = 99; // a handler changing its copy changes nobody else's
    expect(((await pipe.transform({ limit: '7', sort: 'name' }, meta)) as ListClientsQueryDto).limit).toBe(7);
  });

  it('a bad query is refused every time, also after good ones', async () => {
    await pipe.transform({ limit: '7' }, meta);
    for (let i = 0; i < 2; i++) await expect(pipe.transform({ limit: '0' }, meta)).rejects.toBeInstanceOf(ValidationProblem);
  });
});
