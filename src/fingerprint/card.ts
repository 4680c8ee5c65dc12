// Placeholder until the model-card reader lands.
export interface ModelCard { baseModel: string[] }
