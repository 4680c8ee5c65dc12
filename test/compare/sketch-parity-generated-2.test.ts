/** Sketch parity of the generated cases, part 2 (see sketch-parity.ts: the split lets vitest use every core). */
import { describeGeneratedPart } from './sketch-parity.js';

describeGeneratedPart(1);
