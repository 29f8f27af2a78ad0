// The JVP trace: while `jvp` runs, each live trace maps every tensor that carries a tangent to that
// tangent. Ops dispatch through `bind`, which computes the primal with tfjs and the tangent by the
// primitive's rule. Nested `jvp` calls stack traces (JAX's levels): a rule runs one level down, so
// the tangent computation is itself differentiated by any enclosing trace.
//
// Two hooks on the tfjs engine live only while a trace is live:
// - `runKernelFunc` (every kernel and custom gradient goes through it): a kernel that runs outside a
//   primitive's tfjs implementation on a tensor that carries a tangent is a MissingJvpRuleError, so a
//   direct tfjs call can never drop a tangent silently;
// - `disposeTensor`: a tangent lives exactly as long as its primal, whichever scope disposes that.
import { type Tensor, tf } from "@scm/backend";
import { MissingJvpRuleError, ShapeError } from "./errors.js";

/** An op argument: a tensor, or a number where tfjs accepts one (numbers never carry tangents). */
export type Input = Tensor | number;
/** A tangent; `undefined` is the symbolic zero, which rules skip. */
export type Tangent = Tensor | undefined;
/** The tangents of a primitive's inputs, position by position. */
export type Tangents<I extends readonly Input[]> = { readonly [K in keyof I]: Tangent };

/** What a tangent rule sees: the primals, their tangents (at least one non-zero), the primal output. */
export interface RuleArgs<I extends readonly Input[], P> {
  readonly primals: I;
  readonly tangents: Tangents<I>;
  readonly out: Tensor;
  readonly params: P;
}

/** A tangent rule: the output tangent from the input tangents, written with this package's ops. */
export type TangentRule<I extends readonly Input[], P> = (args: RuleArgs<I, P>) => Tangent;
/** A joint rule: primal output and its tangent together (for a primal that shares work with its JVP). */
export type JointRule<I extends readonly Input[], P> = (
  primals: I,
  tangents: Tangents<I>,
  params: P,
) => [Tensor, Tangent];

/** What every primitive has, whatever its rule. */
export interface PrimitiveBase<I extends readonly Input[], P> {
  /** The primitive's name, as rules and errors show it. */
  readonly name: string;
  /** The primal computation in plain tfjs; the tape records it, so reverse mode works unchanged. */
  readonly impl: (inputs: I, params: P) => Tensor;
}
/** A primitive: a tfjs implementation and exactly one JVP rule (tangent-only or joint). */
export type Primitive<I extends readonly Input[], P> = PrimitiveBase<I, P> &
  ({ readonly jvp: TangentRule<I, P> } | { readonly jointJvp: JointRule<I, P> });

interface KernelParams {
  kernelName?: string;
  inputs: Record<string, unknown>;
}
interface HookableEngine {
  runKernelFunc(params: KernelParams): unknown;
  disposeTensor(t: Tensor): void;
  state: { activeScope: { name: string } | null };
}

class Trace {
  readonly tangents = new Map<Tensor, Tensor>();

  lookup(x: Input): Tangent {
    return typeof x === "number" ? undefined : this.tangents.get(x);
  }

  /** Takes ownership of `t` (kept out of every tidy scope) as the tangent of `out`. */
  record(out: Tensor, t: Tensor): void {
    tf.keep(t);
    this.tangents.get(out)?.dispose();
    this.tangents.set(out, t);
  }

  release(x: Tensor): void {
    const t = this.tangents.get(x);
    if (t !== undefined) {
      this.tangents.delete(x);
      t.dispose();
    }
  }

  disposeAll(): void {
    for (const t of this.tangents.values()) t.dispose();
    this.tangents.clear();
  }
}

const traces: Trace[] = []; // live traces, outermost first
let depth = 0; // traces[0, depth) are visible to dispatch; rules run with depth lowered by one
let implDepth = 0; // > 0 while a primitive's tfjs implementation runs
let restore: (() => void) | undefined;

function carriesTangent(x: unknown): boolean {
  if (!(x instanceof tf.Tensor)) return false;
  for (const trace of traces) if (trace.tangents.has(x)) return true;
  return false;
}

function installHooks(): void {
  const engine = tf.engine() as unknown as HookableEngine;
  const own = Object.hasOwn(engine, "runKernelFunc") || Object.hasOwn(engine, "disposeTensor");
  if (own) throw new Error("The tfjs engine is already hooked by another @scm/jvp instance.");
  const runKernelFunc = engine.runKernelFunc;
  const disposeTensor = engine.disposeTensor;
  engine.runKernelFunc = function (params: KernelParams) {
    if (implDepth === 0) {
      for (const [name, x] of Object.entries(params.inputs)) {
        if (carriesTangent(x)) {
          const op = params.kernelName ?? this.state.activeScope?.name ?? "customGrad";
          throw new MissingJvpRuleError(op, name, (x as Tensor).shape);
        }
      }
    }
    return runKernelFunc.call(this, params);
  };
  engine.disposeTensor = function (t: Tensor) {
    disposeTensor.call(this, t);
    for (const trace of traces) trace.release(t);
  };
  restore = () => {
    delete (engine as Partial<HookableEngine>).runKernelFunc;
    delete (engine as Partial<HookableEngine>).disposeTensor;
  };
}

function atDepth<T>(d: number, fn: () => T): T {
  const saved = depth;
  depth = d;
  try {
    return fn();
  } finally {
    depth = saved;
  }
}

function runImpl<I extends readonly Input[], P>(prim: Primitive<I, P>, inputs: I, params: P): Tensor {
  implDepth++;
  try {
    return atDepth(0, () => prim.impl(inputs, params));
  } finally {
    implDepth--;
  }
}

/** Applies a primitive: plain tfjs outside `jvp`; inside, also the output tangent by its rule. */
export function bind<I extends readonly Input[], P>(
  prim: Primitive<I, P>,
  inputs: NoInfer<I>,
  params: NoInfer<P>,
): Tensor {
  if (depth === 0) return runImpl(prim, inputs, params);
  const level = depth - 1;
  const trace = traces[level]!;
  const tangents = inputs.map((x) => trace.lookup(x)) as unknown as Tangents<I>;
  const anyTangent = (tangents as readonly Tangent[]).some((t) => t !== undefined);
  return atDepth(level, () => {
    if (!anyTangent) return bind(prim, inputs, params);
    let out: Tensor;
    let t: Tangent;
    if ("jointJvp" in prim) {
      [out, t] = prim.jointJvp(inputs, tangents, params);
    } else {
      out = bind(prim, inputs, params);
      t = prim.jvp({ primals: inputs, tangents, out, params });
    }
    if (t !== undefined && out.dtype === "float32") {
      if (t.shape.length !== out.shape.length || t.shape.some((d, i) => d !== out.shape[i])) {
        throw new ShapeError(`The tangent rule of "${prim.name}"'s output`, t.shape, out.shape);
      }
      // A rule may hand back an input's tangent or primal unchanged; the trace owns a distinct tensor.
      const reused =
        t === out || (inputs as readonly Input[]).includes(t) || (tangents as readonly Tangent[]).includes(t);
      trace.record(out, reused ? bind(identityPrimitive, [t], undefined) : t);
    }
    return out;
  });
}

/**
 * Runs `fn`, a joint rule's shortcut in plain tfjs kernels (a backend's fused kernels), when the rule
 * runs at the base level, where no enclosing trace differentiates what it computes; there its kernels
 * may read tensors that carry this trace's tangents. Inside a nested `jvp`, or while a tfjs gradient
 * tape records (a fused tangent kernel has no gradient of its own, so reverse mode over a JVP needs the
 * composed rule), it returns undefined without calling `fn`, and the rule goes on with this package's ops.
 */
export function atBaseLevel<T>(fn: () => T | undefined): T | undefined {
  if (depth !== 0 || tapeOn()) return undefined;
  implDepth++;
  try {
    return fn();
  } finally {
    implDepth--;
  }
}

/** Whether a tfjs gradient tape is recording (tf.grad, tf.variableGrads). */
function tapeOn(): boolean {
  return (tf.engine() as unknown as { isTapeOn(): boolean }).isTapeOn();
}

/** The identity primitive (a tfjs clone, sharing data); its tangent is the input's tangent. */
export const identityPrimitive: Primitive<[Tensor], undefined> = {
  name: "identity",
  impl: ([x]) => tf.clone(x),
  jvp: ({ tangents: [t] }) => t,
};

/** The trace's own part of the primitive table. */
export const tracePrimitives = { identity: identityPrimitive };

/** A fresh tensor equal to `x` (no data copied); under `jvp` its tangent is `x`'s tangent. */
export function identity(x: Tensor): Tensor {
  return bind(identityPrimitive, [x], undefined);
}

/** The tangent `x` carries in the innermost visible trace, or undefined (zero, or outside `jvp`). */
export function tangentOf(x: Tensor): Tangent {
  return depth === 0 ? undefined : traces[depth - 1]!.lookup(x);
}

/** Whether dispatch is inside a `jvp` trace (ops record tangents). */
export function isTracing(): boolean {
  return depth > 0;
}

/** The handle `jvp` uses to run a function under a fresh trace; see jvp.ts for ownership. */
export interface TraceScope {
  /** Gives `x` the tangent `t` (the trace takes ownership of `t`). */
  seed(x: Tensor, t: Tensor): void;
  /** `x`'s tangent in this trace, once `run` has returned. */
  tangent(x: Tensor): Tangent;
  /** Runs `fn` with this trace as the innermost level. */
  run<T>(fn: () => T): T;
  /** Disposes every tangent the trace still owns and retires it. */
  close(): void;
}

/** Opens a trace one level above the current dispatch depth. */
export function openTrace(): TraceScope {
  if (depth !== traces.length) {
    throw new Error(
      "jvp was called from inside a tangent rule; call it from the function being differentiated.",
    );
  }
  const trace = new Trace();
  if (traces.length === 0) installHooks();
  traces.push(trace);
  let closed = false;
  return {
    seed: (x, t) => trace.record(x, t),
    tangent: (x) => trace.lookup(x),
    run: (fn) => {
      const saved = depth;
      depth = traces.indexOf(trace) + 1;
      try {
        return fn();
      } finally {
        depth = saved;
      }
    },
    close: () => {
      if (closed) return;
      closed = true;
      trace.disposeAll();
      traces.splice(traces.indexOf(trace), 1);
      if (traces.length === 0) {
        restore?.();
        restore = undefined;
      }
    },
  };
}
