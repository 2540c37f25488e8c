import { DeepError, DeepErrorCode } from '../runtime/errors';
import {
  OnnxAttributeType,
  OnnxDataType,
  onnxType,
  type OnnxAttribute,
  type OnnxNode,
  type OnnxTensor,
  type OnnxValueInfo,
} from './onnx-schema';

/**
 * ONNX opset of every exported graph. Everything used (Gather, Gemm, MatMul, Mul, Add, Sub, Div, Mod,
 * Concat, Reshape, ReduceSum with its axes as an input, Relu, Sigmoid) exists at 13, and ONNX Runtime's
 * CPU provider implements each for float and int64 there.
 */
export const ONNX_OPSET = 13;
/** IR version 7 is what opset 13 models carry (onnx 1.8). */
const IR_VERSION = 7;

export type OnnxDim = number | string;

/** A graph input or output: a float or int64 tensor of the given dims (a string names a free dim). */
export function tensorInfo(name: string, elemType: number, dims: OnnxDim[]): OnnxValueInfo {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

export const intAttr = (name: string, i: number): OnnxAttribute => ({ name, type: OnnxAttributeType.INT, i });
export const floatAttr = (name: string, f: number): OnnxAttribute => ({
  name,
  type: OnnxAttributeType.FLOAT,
  f,
});

export interface OnnxModelDescription {
  graphName: string;
  /** The model's docString: what the graph computes and what its inputs mean. */
  docString: string;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  metadata?: Record<string, string>;
}

/**
 * Collects the nodes and initializers of one inference graph and encodes the ModelProto. Every model's
 * exporter (NeuMF and the feature models) writes through it, so names, opset and error reporting are
 * the same everywhere: `op` names its output after the node unless told otherwise, `weight` checks a
 * trained array's size against the dims it is declared with.
 */
export class OnnxGraphBuilder {
  private readonly nodes: OnnxNode[] = [];
  private readonly initializers: OnnxTensor[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  /** `model` names the exporter in errors (`wide-deep ONNX export: …`). */
  constructor(readonly model: string) {}

  fail(message: string): never {
    throw new DeepError(DeepErrorCode.ONNX_EXPORT_FAILED, `${this.model} ONNX export: ${message}`);
  }

  private claim(name: string): string {
    if (this.names.has(name)) this.fail(`value "${name}" defined twice`);
    this.names.add(name);
    return name;
  }

  /** A float32 initializer (copied). */
  float(name: string, dims: number[], values: Float32Array): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (values.length !== size)
      this.fail(`"${name}" has ${values.length} values for dims [${dims.join(', ')}]`);
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    this.initializers.push({
      name: this.claim(name),
      dims,
      dataType: OnnxDataType.FLOAT,
      rawData: Uint8Array.from(bytes),
    });
    return name;
  }

  /** An int64 initializer. */
  int64(name: string, dims: number[], values: ArrayLike<number>): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (values.length !== size)
      this.fail(`"${name}" has ${values.length} values for dims [${dims.join(', ')}]`);
    const a = new BigInt64Array(values.length);
    for (let k = 0; k < values.length; k++) a[k] = BigInt(values[k]);
    this.initializers.push({
      name: this.claim(name),
      dims,
      dataType: OnnxDataType.INT64,
      rawData: new Uint8Array(a.buffer),
    });
    return name;
  }

  /** A float32 scalar-like constant of shape [values.length] (broadcasts like a scalar when length 1). */
  constant(name: string, values: number[]): string {
    return this.float(name, [values.length], Float32Array.from(values));
  }

  /** A trained weight from `weights`, declared with `dims`; ONNX_EXPORT_FAILED when missing or mis-sized. */
  weight(weights: Record<string, Float32Array>, name: string, dims: number[]): string {
    const w = weights[name];
    if (w === undefined) this.fail(`weight "${name}" is missing`);
    return this.float(name, dims, w);
  }

  /** Adds a node; returns its (single) output's name, `output` or a fresh `<op>_<n>`. */
  op(opType: string, input: string[], output?: string, attribute: OnnxAttribute[] = []): string {
    const out = this.claim(output ?? `${opType.toLowerCase()}_${this.counter++}`);
    this.nodes.push({ name: out, opType, input, output: [out], attribute });
    return out;
  }

  /** x·W + b with the trained `${name}_kernel` [inputs, units] and `${name}_bias` [units]. */
  dense(
    weights: Record<string, Float32Array>,
    name: string,
    x: string,
    inputs: number,
    units: number,
    output?: string,
  ): string {
    const k = this.weight(weights, `${name}_kernel`, [inputs, units]);
    const b = this.weight(weights, `${name}_bias`, [units]);
    return this.op('Gemm', [x, k, b], output ?? `${name}_linear`);
  }

  /** ReduceSum over `axes` (opset 13 takes them as an int64 input). */
  reduceSum(x: string, axes: number[], keepDims: boolean, output?: string): string {
    const a = this.int64(`${output ?? `reduce_sum_${this.counter}`}_axes`, [axes.length], axes);
    return this.op('ReduceSum', [x, a], output, [intAttr('keepdims', keepDims ? 1 : 0)]);
  }

  /** Reshape to `shape` (0 copies the input's dim, -1 is inferred). */
  reshape(x: string, shape: number[], output?: string): string {
    const s = this.int64(`${output ?? `reshape_${this.counter}`}_shape`, [shape.length], shape);
    return this.op('Reshape', [x, s], output);
  }

  /** The encoded ModelProto (checked against the schema first). */
  build(d: OnnxModelDescription): Uint8Array {
    const model = {
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: ONNX_OPSET }],
      producerName: '@recsys/deep',
      producerVersion: '0.1.0',
      docString: d.docString,
      graph: {
        name: d.graphName,
        docString: d.docString,
        node: this.nodes,
        initializer: this.initializers,
        input: d.inputs,
        output: d.outputs,
      },
      metadataProps: Object.entries(d.metadata ?? {}).map(([key, value]) => ({ key, value })),
    };
    const type = onnxType('ModelProto');
    const problem = type.verify(model);
    if (problem !== null) this.fail(problem);
    return type.encode(type.fromObject(model)).finish();
  }
}
