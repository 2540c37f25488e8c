import type { NeuMfArchitecture } from '../models/neumf-network';
import { DeepError, DeepErrorCode } from '../runtime/errors';
import {
  OnnxAttributeType,
  OnnxDataType,
  onnxType,
  type OnnxNode,
  type OnnxTensor,
  type OnnxValueInfo,
} from './onnx-schema';

/** ONNX opset of the exported graph (Gather, Mul, Concat, Gemm, Relu, Sigmoid, Reshape: all ≤ 13). */
export const NEUMF_ONNX_OPSET = 13;
/** IR version 7 is what opset 13 models carry (onnx 1.8). */
const IR_VERSION = 7;

function floatTensor(name: string, dims: number[], values: Float32Array): OnnxTensor {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  return { name, dims, dataType: OnnxDataType.FLOAT, rawData: Uint8Array.from(bytes) };
}

function int64Tensor(name: string, values: number[]): OnnxTensor {
  const a = BigInt64Array.from(values, (v) => BigInt(v));
  return { name, dims: [values.length], dataType: OnnxDataType.INT64, rawData: new Uint8Array(a.buffer) };
}

function tensorInfo(name: string, elemType: number, dims: (number | string)[]): OnnxValueInfo {
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

function node(opType: string, input: string[], output: string, attrs: OnnxNode['attribute'] = []): OnnxNode {
  return { name: output, opType, input, output: [output], attribute: attrs };
}

/**
 * Builds the ONNX ModelProto of a trained NeuMF (opset 13): inputs `user` and `item` int64[N], output
 * `score` float[N], the same function as NeuMfNetwork's inference pass —
 *   Gather(embeddings) → Mul (GMF); Concat → Gemm → Relu … (MLP); Concat → Gemm → Sigmoid → Reshape.
 * Dropout is absent (inference). Weights become initializers with the artifact's names.
 */
export function neuMfToOnnx(arch: NeuMfArchitecture, weights: Record<string, Float32Array>): Uint8Array {
  const get = (name: string, size: number): Float32Array => {
    const w = weights[name];
    if (w === undefined || w.length !== size)
      throw new DeepError(
        DeepErrorCode.ONNX_EXPORT_FAILED,
        `neumf ONNX export: weight "${name}" missing or of wrong size`,
      );
    return w;
  };
  const initializer: OnnxTensor[] = [
    floatTensor(
      'gmf_user_embedding',
      [arch.users, arch.gmfDim],
      get('gmf_user_embedding', arch.users * arch.gmfDim),
    ),
    floatTensor(
      'gmf_item_embedding',
      [arch.items, arch.gmfDim],
      get('gmf_item_embedding', arch.items * arch.gmfDim),
    ),
    int64Tensor('flat_shape', [-1]),
  ];
  const axis0 = [{ name: 'axis', type: OnnxAttributeType.INT, i: 0 }];
  const axis1 = [{ name: 'axis', type: OnnxAttributeType.INT, i: 1 }];
  const nodes: OnnxNode[] = [
    node('Gather', ['gmf_user_embedding', 'user'], 'gmf_user', axis0),
    node('Gather', ['gmf_item_embedding', 'item'], 'gmf_item', axis0),
    node('Mul', ['gmf_user', 'gmf_item'], 'gmf'),
  ];
  let joint = 'gmf';
  let width = 2 * arch.mlpEmbeddingDim;
  if (arch.mlpLayers.length > 0) {
    initializer.push(
      floatTensor(
        'mlp_user_embedding',
        [arch.users, arch.mlpEmbeddingDim],
        get('mlp_user_embedding', arch.users * arch.mlpEmbeddingDim),
      ),
      floatTensor(
        'mlp_item_embedding',
        [arch.items, arch.mlpEmbeddingDim],
        get('mlp_item_embedding', arch.items * arch.mlpEmbeddingDim),
      ),
    );
    nodes.push(
      node('Gather', ['mlp_user_embedding', 'user'], 'mlp_user', axis0),
      node('Gather', ['mlp_item_embedding', 'item'], 'mlp_item', axis0),
      node('Concat', ['mlp_user', 'mlp_item'], 'mlp_input', axis1),
    );
    let h = 'mlp_input';
    arch.mlpLayers.forEach((units, l) => {
      const k = `mlp_dense_${l}_kernel`;
      const b = `mlp_dense_${l}_bias`;
      initializer.push(
        floatTensor(k, [width, units], get(k, width * units)),
        floatTensor(b, [units], get(b, units)),
      );
      nodes.push(node('Gemm', [h, k, b], `mlp_${l}_linear`), node('Relu', [`mlp_${l}_linear`], `mlp_${l}`));
      h = `mlp_${l}`;
      width = units;
    });
    nodes.push(node('Concat', ['gmf', h], 'joint', axis1));
    joint = 'joint';
  }
  const jointWidth = arch.gmfDim + (arch.mlpLayers.length > 0 ? width : 0);
  initializer.push(
    floatTensor('prediction_kernel', [jointWidth, 1], get('prediction_kernel', jointWidth)),
    floatTensor('prediction_bias', [1], get('prediction_bias', 1)),
  );
  nodes.push(
    node('Gemm', [joint, 'prediction_kernel', 'prediction_bias'], 'logit'),
    node('Sigmoid', ['logit'], 'probability'),
    node('Reshape', ['probability', 'flat_shape'], 'score'),
  );
  const model = {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: NEUMF_ONNX_OPSET }],
    producerName: '@recsys/deep',
    producerVersion: '0.1.0',
    docString: 'NeuMF (He et al. 2017): score = sigmoid(h·[GMF; MLP] + b)',
    graph: {
      name: 'neumf',
      node: nodes,
      initializer,
      input: [tensorInfo('user', OnnxDataType.INT64, ['N']), tensorInfo('item', OnnxDataType.INT64, ['N'])],
      output: [tensorInfo('score', OnnxDataType.FLOAT, ['N'])],
    },
    metadataProps: [
      { key: 'users', value: String(arch.users) },
      { key: 'items', value: String(arch.items) },
    ],
  };
  const type = onnxType('ModelProto');
  const problem = type.verify(model);
  if (problem !== null)
    throw new DeepError(DeepErrorCode.ONNX_EXPORT_FAILED, `neumf ONNX export: ${problem}`);
  return type.encode(type.fromObject(model)).finish();
}
