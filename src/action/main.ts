/** Entry point of the bundled Action (dist/index.js). */
import { createEngine } from '../check/engine.js';
import { run } from './run.js';

await run(createEngine());
