/** Synthetic transformer models and ground-truth cases (tests, demo, evaluation). */
export * from './random.js';
export * from './encode.js';
export * from './tokenizer.js';
export * from './model.js';
export * from './derive.js';
export * from './write.js';
export * from './cases.js';
