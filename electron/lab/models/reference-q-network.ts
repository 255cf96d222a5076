import * as tf from '@tensorflow/tfjs';
import { oneHot, paramInfo, type QNetworkSpec, type TdLoss, type TrainBatch } from './q-network.ts';

/**
 * The same Q-network written the way tf.layers would: kernels [in, out], row-major activations,
 * gradients from autograd (tf.variableGrads) and tf.train.adam. It is the yardstick for the fused
 * update in q-network.ts: the tests check that both compute the same gradients, and the dqn bench
 * times it as the naive baseline (its backward runs the transposed products that the wasm backend
 * does ~10x slower; docs/toolchain.md).
 */
export class ReferenceQNetwork {
  readonly vars: tf.Variable[];

  /** `weights` in q-network.ts's layout ([out, in] weights, [out, 1] biases). */
  constructor(
    readonly spec: QNetworkSpec,
    weights: readonly Float32Array[],
  ) {
    this.vars = paramInfo(spec).map(({ shape: [rows, cols] }, i) =>
      i % 2 === 0 ? tf.variable(tf.tensor2d(transpose(weights[i]!, rows, cols), [cols, rows])) : tf.variable(tf.tensor1d(weights[i]!)),
    );
  }

  /** Q-values [B, A] of all actions, dueling heads combined over `valid` ([B, A] 0/1 floats). */
  predict(x: tf.Tensor2D, valid: tf.Tensor2D, dropout?: readonly tf.Tensor2D[]): tf.Tensor2D {
    const layers = this.spec.hidden.length;
    let h = x;
    for (let l = 0; l < layers; l++) {
      h = tf.relu(tf.add(tf.matMul(h, this.vars[2 * l]!), this.vars[2 * l + 1]!));
      if (dropout) h = tf.mul(h, dropout[l]!);
    }
    const adv: tf.Tensor2D = tf.add(tf.matMul(h, this.vars[2 * layers]!), this.vars[2 * layers + 1]!);
    if (!this.spec.dueling) return adv;
    const v = tf.add(tf.matMul(h, this.vars[2 * layers + 2]!), this.vars[2 * layers + 3]!);
    const mean = tf.div(tf.sum(tf.mul(adv, valid), 1, true), tf.sum(valid, 1, true));
    return tf.sub(tf.add(v, adv), mean);
  }

  /** mean_b(w_b * loss(Q(s_b, a_b) - y_b)), the loss the fused update differentiates by hand. */
  loss(batch: TrainBatch, lossKind: TdLoss): tf.Scalar {
    const { size: B, actionCount: A } = { size: batch.size, actionCount: this.spec.actionCount };
    const x = tf.tensor2d(batch.states, [B, this.spec.stateSize]);
    const valid = tf.tensor2d(Float32Array.from(batch.masks), [B, A]);
    const dropout = batch.dropout?.map((d, l) => tf.transpose(tf.tensor2d(d, [this.spec.hidden[l]!, B])));
    const q = tf.sum(tf.mul(this.predict(x, valid, dropout), tf.tensor2d(Float32Array.from(oneHot(batch.actions, A)), [B, A])), 1);
    const delta = tf.sub(q, tf.tensor1d(batch.targets));
    const abs = tf.abs(delta);
    // Huber as tf.losses.huberLoss writes it: 0.5 * min(|d|, 1)^2 + (|d| - min(|d|, 1)).
    const quadratic = tf.minimum(abs, 1);
    const perSample = lossKind === 'huber' ? tf.add(tf.mul(tf.square(quadratic), 0.5), tf.sub(abs, quadratic)) : tf.square(delta);
    return tf.mean(tf.mul(perSample, tf.tensor1d(batch.weights)));
  }

  /** Autograd's gradients, converted to q-network.ts's layout. */
  gradients(batch: TrainBatch, lossKind: TdLoss): Float32Array[] {
    const { grads, value } = tf.variableGrads(() => this.loss(batch, lossKind), this.vars);
    const out = paramInfo(this.spec).map(({ shape: [rows, cols] }, i) => {
      const g = grads[this.vars[i]!.name]!.dataSync() as Float32Array;
      return i % 2 === 0 ? transpose(g, cols, rows) : g.slice();
    });
    tf.dispose([value, ...Object.values(grads)]);
    return out;
  }

  /** Current weights in q-network.ts's layout. */
  getWeights(): Float32Array[] {
    return paramInfo(this.spec).map(({ shape: [rows, cols] }, i) => {
      const w = this.vars[i]!.dataSync() as Float32Array;
      return i % 2 === 0 ? transpose(w, cols, rows) : w.slice();
    });
  }

  dispose(): void {
    tf.dispose(this.vars);
  }
}

/** Row-major [rows, cols] -> row-major [cols, rows]. */
export function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}
