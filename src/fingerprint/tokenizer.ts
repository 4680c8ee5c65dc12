// Placeholder until the tokenizer signature lands.
export interface TokenizerSignature { vocabSize: number }
