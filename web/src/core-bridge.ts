// The one file that touches the WASM module: loads it, copies JSON in and out of its memory,
// and turns a trap into an error value so a core failure can never throw into the page.
import type { ErrorCode } from './generated/error-codes.js';
import { instantiateWasm, type WasmSource } from './wasm-source.js';

/** An effect the core asks the shell to carry out (see docs/ARCHITECTURE.md). */
export type Effect =
  | { type: 'send'; batchId: string; url: string; body: string; events: number; unload: boolean }
  | { type: 'persist'; key: string; value: string }
  | { type: 'remove'; key: string }
  | { type: 'schedule'; at: number | null }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string };

export interface CoreError {
  code: ErrorCode;
  message: string;
  path?: string;
}

export interface QueueState {
  pending: number;
  inFlight: number;
  retrying: boolean;
  paused: boolean;
}

export interface CoreOutput {
  ok: boolean;
  error?: CoreError;
  result?: Record<string, unknown>;
  /** A "calls" input: one result per call, in order. */
  results?: Array<{ ok: boolean; messageId?: string; error?: CoreError }>;
  effects: Effect[];
  queue?: QueueState;
}

/** An input for the core; `now` is added by the bridge's caller. */
export type CoreInput = { type: string; now: number } & Record<string, unknown>;

interface CoreExports {
  memory: WebAssembly.Memory;
  _initialize(): void;
  parcours_alloc(bytes: number): number;
  parcours_free(pointer: number): void;
  parcours_handle(pointer: number, length: number): number;
  parcours_output_length(): number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class CoreBridge {
  private failure: CoreError | undefined;

  private constructor(private readonly exports: CoreExports) {}

  static async load(source: WasmSource): Promise<CoreBridge> {
    const imports = {
      // Growth needs no action: views into memory are re-created on every call.
      env: { emscripten_notify_memory_growth: () => undefined },
      wasi_snapshot_preview1: {
        proc_exit: (code: number) => {
          throw new Error(`parcours core aborted (exit ${code})`);
        },
      },
    };
    const instance = await instantiateWasm(source, imports);
    const exports = instance.exports as unknown as CoreExports;
    exports._initialize();  // Runs the C++ static constructors of this "reactor" module.
    return new CoreBridge(exports);
  }

  /** Hands one input to the core. Never throws: a trapped core answers with an error. */
  handle(input: CoreInput): CoreOutput {
    return this.handleJsonOutput(JSON.stringify(input));
  }

  /** One input already serialized, the output parsed. */
  handleJsonOutput(input: string): CoreOutput {
    return JSON.parse(this.handleJson(input)) as CoreOutput;
  }

  /** The raw protocol: one JSON input in, one JSON output out (what replay tools compare). */
  handleJson(input: string): string {
    if (this.failure) return JSON.stringify({ ok: false, error: this.failure, effects: [] });
    const bytes = encoder.encode(input);
    const { exports } = this;
    try {
      const pointer = exports.parcours_alloc(bytes.length);
      new Uint8Array(exports.memory.buffer, pointer, bytes.length).set(bytes);
      const output = exports.parcours_handle(pointer, bytes.length);
      exports.parcours_free(pointer);
      return decoder.decode(new Uint8Array(exports.memory.buffer, output, exports.parcours_output_length()));
    } catch (error) {
      // After a trap the module's memory may be inconsistent: refuse everything from now on.
      this.failure = {
        code: 'shell.core_failed',
        message: `[parcours.shell.core_failed] ${(error as Error).message}`,
      };
      return JSON.stringify({ ok: false, error: this.failure, effects: [] });
    }
  }

  /** Bytes of linear memory the module holds now (it grows, never shrinks). */
  memoryBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }
}
