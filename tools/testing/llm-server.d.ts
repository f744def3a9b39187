export interface LlmRequest {
  method: string | undefined;
  path: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  // biome-ignore lint/suspicious/noExplicitAny: the JSON body of a request, read freely by tests
  body: any;
}
export interface LlmReply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Never answer. */
  hang?: boolean;
}
export interface LlmServer {
  readonly url: string;
  /** Requests since the last `reply()`. */
  readonly requests: LlmRequest[];
  /** Queue the answers of the next requests (the last one repeats); clears `requests`. */
  reply(...replies: (LlmReply | ((request: LlmRequest) => LlmReply))[]): void;
  close(): Promise<void>;
}
export declare function startLlmServer(): Promise<LlmServer>;
export declare function openAiCompletion(content: unknown, model?: string): LlmReply;
export declare function anthropicMessage(input: unknown, model?: string): LlmReply;
export declare function llmError(api: 'openai' | 'anthropic', status: number, message?: string): LlmReply;
