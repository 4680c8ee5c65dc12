/** Sketch parity of the generated cases, part 1 (see sketch-parity.ts: the split lets vitest use every core). */
import { describeGeneratedPart } from './sketch-parity.js';

describeGeneratedPart(0);
