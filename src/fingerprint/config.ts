// Placeholder until the config signature lands.
export interface ConfigSignature { modelType?: string }
