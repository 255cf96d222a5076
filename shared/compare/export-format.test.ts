import { describe, expect, it } from 'vitest';
import { csvTable, metricsLongCsv } from './export-format.ts';

describe('CSV exports', () => {
  it('quotes what needs quoting and leaves blanks for missing values', () => {
    expect(csvTable(['a', 'b'], [['x,y', null], ['say "hi"', 2]])).toBe('a,b\n"x,y",\n"say ""hi""",2\n');
  });

  it('writes metrics in long format', () => {
    expect(metricsLongCsv([{ experiment_id: 1, experiment: 'run, one', name: 'charts/x', step: 8, episode: 1, wall_time: 0.5, value: -2 }])).toBe(
      'experiment_id,experiment,metric,step,episode,wall_time,value\n1,"run, one",charts/x,8,1,0.5,-2\n',
    );
  });
});
