// The one file that touches the WASM module: loads it, copies JSON in and out of its memory,
// and turns a trap into an error value so a core failure can never throw into the page.
import type { ErrorCode } from './generated/error-codes.js';
import type { DecisionData } from './decisions.js';
import { instantiateWasm, type WasmSource } from './wasm-source.js';

/** An effect the core asks the shell to carry out (see docs/ARCHITECTURE.md). */
export type Effect =
  | { type: 'send'; batchId: string; url: string; body: string; events: number; unload: boolean }
  | { type: 'persist'; key: string; value: string }
  | { type: 'remove'; key: string }
  | { type: 'schedule'; at: number | null }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string }
  | { type: 'show'; decision: DecisionData }
  | { type: 'fetchRules'; url: string; etag?: string };

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
  parcours_handle_sliced(pointer: number, length: number): number;
}

// Effects whose large string travels as a slice after the output's JSON.
type SlicedEffect = Effect & { valueAt?: [number, number]; bodyAt?: [number, number]; value?: string; body?: string };

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

  /**
   * One input already serialized, the output parsed. Batch bodies and stored values come as
   * [address, length] of their bytes in WASM memory (decoded straight from where the core
   * built them), not as escaped JSON strings.
   */
  handleJsonOutput(input: string): CoreOutput {
    if (this.failure) return { ok: false, error: this.failure, effects: [] };
    const { exports } = this;
    try {
      const [pointer, length] = this.write(input);
      const output = exports.parcours_handle_sliced(pointer, length);
      exports.parcours_free(pointer);
      const memory = new Uint8Array(exports.memory.buffer);
      const parsed = JSON.parse(decoder.decode(memory.subarray(output, output + exports.parcours_output_length()))) as CoreOutput;
      const slice = ([address, size]: [number, number]): string => decoder.decode(memory.subarray(address, address + size));
      for (const effect of parsed.effects as SlicedEffect[]) {
        if (effect.valueAt) effect.value = slice(effect.valueAt);
        if (effect.bodyAt) effect.body = slice(effect.bodyAt);
      }
      return parsed;
    } catch (error) {
      return { ok: false, error: this.fail(error), effects: [] };
    }
  }

  /** The raw protocol: one JSON input in, one JSON output out (what replay tools compare). */
  handleJson(input: string): string {
    if (this.failure) return JSON.stringify({ ok: false, error: this.failure, effects: [] });
    const { exports } = this;
    try {
      const [pointer, length] = this.write(input);
      const output = exports.parcours_handle(pointer, length);
      exports.parcours_free(pointer);
      return decoder.decode(new Uint8Array(exports.memory.buffer, output, exports.parcours_output_length()));
    } catch (error) {
      return JSON.stringify({ ok: false, error: this.fail(error), effects: [] });
    }
  }

  /** Encodes `input` straight into WASM memory; the caller frees the pointer. */
  private write(input: string): [number, number] {
    const { exports } = this;
    // ASCII (nearly every input) takes one byte per character; others are written again
    // with room for the worst case, 3 bytes per UTF-16 unit.
    let capacity = input.length + 16;
    let pointer = exports.parcours_alloc(capacity);
    let { read, written } = encoder.encodeInto(input, new Uint8Array(exports.memory.buffer, pointer, capacity));
    if (read !== input.length) {
      exports.parcours_free(pointer);
      capacity = input.length * 3 + 16;
      pointer = exports.parcours_alloc(capacity);
      ({ read, written } = encoder.encodeInto(input, new Uint8Array(exports.memory.buffer, pointer, capacity)));
    }
    return [pointer, written];
  }

  /** After a trap the module's memory may be inconsistent: refuse everything from now on. */
  private fail(error: unknown): CoreError {
    this.failure = {
      code: 'shell.core_failed',
      message: `[parcours.shell.core_failed] ${(error as Error).message}`,
    };
    return this.failure;
  }

  /** Bytes of linear memory the module holds now (it grows, never shrinks). */
  memoryBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }
}
