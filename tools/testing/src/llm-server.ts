// A small local HTTP server that speaks the wire formats of the OpenAI Chat Completions API
// (`POST /v1/chat/completions`) and the Anthropic Messages API (`POST /v1/messages`), for tests of
// the LLM providers: no LLM is reachable from the test machines. Each test queues the answers it
// wants; the server records every request (method, path, headers, JSON body).
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

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

/** A chat.completion whose message content is `content` (a string, or a value sent as JSON text). */
export function openAiCompletion(content: unknown, model = 'gpt-test'): LlmReply {
  return {
    status: 200,
    body: {
      id: 'chatcmpl-test',
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: typeof content === 'string' ? content : JSON.stringify(content),
            refusal: null,
          },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
    },
  };
}

/** A Messages API answer holding one tool_use block with `input` (or a text block for a string). */
export function anthropicMessage(input: unknown, model = 'claude-test'): LlmReply {
  const block =
    typeof input === 'string'
      ? { type: 'text', text: input }
      : { type: 'tool_use', id: 'toolu_test', name: 'answer_with_sql', input };
  return {
    status: 200,
    body: {
      id: 'msg_test',
      type: 'message',
      role: 'assistant',
      model,
      content: [block],
      stop_reason: block.type === 'tool_use' ? 'tool_use' : 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 100, output_tokens: 20 },
    },
  };
}

/** An error answer in the wire format of `api` ('openai' | 'anthropic'). */
export function llmError(api: 'openai' | 'anthropic', status: number, message = 'error'): LlmReply {
  const type = status === 401 ? 'authentication_error' : status === 429 ? 'rate_limit_error' : 'api_error';
  return {
    status,
    // Short retry delays keep the retry tests fast (both SDKs honour retry-after-ms).
    headers: { 'retry-after-ms': '10' },
    body:
      api === 'anthropic'
        ? { type: 'error', error: { type, message } }
        : { error: { message, type, param: null, code: status === 401 ? 'invalid_api_key' : null } },
  };
}

/** Starts the server on 127.0.0.1 at a free port. */
export async function startLlmServer(): Promise<LlmServer> {
  const requests: LlmRequest[] = [];
  let replies: (LlmReply | ((request: LlmRequest) => LlmReply))[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      const request: LlmRequest = { method: req.method, path: req.url, headers: req.headers, body };
      requests.push(request);
      // The last queued reply stays for every further request.
      const next = replies.length > 1 ? replies.shift() : replies[0];
      const reply = typeof next === 'function' ? next(request) : next;
      if (!reply) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'no reply queued' } }));
        return;
      }
      if (reply.hang) return; // never answer: the client's timeout must fire
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body ?? {}));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply(...list) {
      replies = list;
      requests.length = 0;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
