/** The torch.save layout writer lives in src (the evaluation and benchmarks use it too). */
export * from '../../src/formats/pytorch/writer.js';
