/** The IPC messages between subscriber-pool.ts and its subscriber-worker.ts processes. */
export type WorkerRequest =
  | {
      readonly op: 'connect';
      readonly url: string;
      /** 'graphql-ws': the graphql-transport-ws handshake and a subscribe; 'raw': a plain socket. */
      readonly mode: 'graphql-ws' | 'raw';
      readonly count: number;
      /** Handshakes under way at once. */
      readonly concurrency: number;
      readonly authorization?: string;
      readonly query?: string;
      readonly variables?: Record<string, unknown>;
    }
  | { readonly op: 'counts' }
  | { readonly op: 'reset' }
  | { readonly op: 'collect' }
  | { readonly op: 'close' };

export interface WorkerReply {
  readonly connected?: number;
  readonly failed?: number;
  readonly closed?: number;
  readonly received?: number;
  readonly live?: number;
  readonly open?: number;
  /** Publish-to-delivery, ms, one per delivered message carrying `sentAt`. */
  readonly latencies?: number[];
  readonly firstAt?: number;
  readonly lastAt?: number;
  /** Per subscriber that received anything: ms from asking to the first message. */
  readonly timeToFirst?: number[];
  /** The same, from when the client began to connect (handshakes included). */
  readonly timeToFirstFromOpen?: number[];
  readonly errors?: string[];
  readonly failure?: string;
}
