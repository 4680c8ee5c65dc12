import { test } from 'vitest';
import { runEvaluation, confusionMarkdown } from '../../src/eval/run.js';
test('eval', async () => {
  const r = await runEvaluation({ seeds: 3, onRow: (l) => console.log(l) });
  console.log(confusionMarkdown(r));
}, 600000);
