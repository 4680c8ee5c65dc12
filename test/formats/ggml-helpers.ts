/** Small deterministic helpers for the ggml / GGUF tests. */
export { rng as mulberry32 } from './helpers.js';
