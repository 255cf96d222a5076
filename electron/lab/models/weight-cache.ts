import * as tf from '@tensorflow/tfjs';

type Derived = tf.Tensor | readonly (tf.Tensor | readonly tf.Tensor[])[];

/**
 * Tensors derived from one weight tensor (a cut, a transpose, blocks), made again only when the
 * weight is another tensor: every update makes new ones, and a target network keeps its weights,
 * so its derived tensors, between syncs. Kept out of any tidy they are first asked for in; the
 * cache disposes them.
 */
export class WeightCache<T extends Derived> {
  private of: tf.Tensor | undefined;
  private value: T | undefined;

  get(weight: tf.Tensor, make: () => T): T {
    if (this.of !== weight) {
      this.dispose();
      const value = make();
      for (const t of [value].flat(2) as tf.Tensor[]) tf.keep(t);
      [this.value, this.of] = [value, weight];
    }
    return this.value!;
  }

  dispose(): void {
    if (this.value) tf.dispose([this.value].flat(2) as tf.Tensor[]);
    [this.value, this.of] = [undefined, undefined];
  }
}
