/** Counted nouns in report text: "1 tensor", "3 tensors", "1 entry", "2 entries". */
export function plural(n: number, singular: string, many = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : many}`;
}
