import type { Verdict } from '../compare/types.js';

/** An eval case judged from two model paths on disk: the reference and the model under test. */
export interface FileCase {
  id: string;
  title: string;
  truth: Verdict;
  accept: Verdict[];
  /** Reference model (file or directory). */
  a: string;
  /** Model under test (file or directory). */
  b: string;
}
