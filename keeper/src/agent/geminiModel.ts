/**
 * ADK's Gemini model with a configurable API base URL (a proxy, or a local server answering recorded
 * responses in tests). Everything else is the stock `Gemini` class.
 */
import { Gemini } from '@google/adk';
import type { HttpOptions } from '@google/genai';

export interface GeminiConfig {
  apiKey: string;
  model: string;
  baseUrl?: string;
  /** Stream (SSE `streamGenerateContent`) instead of `generateContent`. Default false. */
  stream?: boolean;
}

export class NectoGemini extends Gemini {
  private readonly baseUrl: string | undefined;

  constructor(config: GeminiConfig) {
    super({ model: config.model, apiKey: config.apiKey });
    this.baseUrl = config.baseUrl;
  }

  protected override getHttpOptions(): HttpOptions {
    const options = super.getHttpOptions();
    return this.baseUrl ? { ...options, baseUrl: this.baseUrl } : options;
  }
}
