/** Entry point of the bundled Action (dist/index.js). */
import { engine } from './engine.js';
import { run } from './run.js';

await run(engine);
