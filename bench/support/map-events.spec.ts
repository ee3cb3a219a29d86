import { groupMapEvents } from './map-events';

const log = [
  'code-creation,JS,10,100,0x1000,64,child /app/pino/lib/proto.js:85:16,0x1,*',
  'code-creation,JS,10,110,0x2000,32,bind node:async_hooks:231:7,0x2,*',
  'map,Normalize,1000,0x9,0xa,0x1010,12,3,NormalizeAndCopyAsPrototype,',
  'map,Normalize,2000000,0x9,0xb,0x1020,12,3,NormalizeAndCopyAsPrototype,',
  'map,Normalize,2500000,0x9,0xc,0x1030,12,3,NormalizeAndCopyAsPrototype,',
  'map,SlowToFast,2600000,0x9,0xd,0x2004,4,1,OptimizeAsPrototype,',
  'map,Transition,2700000,0x9,0xe,0x0,-1,-1,,name',
].join('\n');

describe('groupMapEvents', () => {
  it('groups events by type, reason and source', () => {
    expect(groupMapEvents(log, 1000)).toEqual([
      {
        count: 2,
        type: 'Normalize',
        reason: 'NormalizeAndCopyAsPrototype',
        source: 'child /app/pino/lib/proto.js:85:16,0x1,*',
      },
      {
        count: 1,
        type: 'SlowToFast',
        reason: 'OptimizeAsPrototype',
        source: 'bind node:async_hooks:231:7,0x2,*',
      },
      { count: 1, type: 'Transition', reason: '', source: '(runtime)' },
    ]);
  });

  it('leaves out events before the window', () => {
    const counted = groupMapEvents(log, 100).reduce((sum, group) => sum + group.count, 0);

    expect(counted).toBe(2);
  });
});
