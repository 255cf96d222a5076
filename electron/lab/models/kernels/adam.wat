;; Adam's update over float32 arrays, four lanes at a time (WebAssembly SIMD).
;;
;;   m <- b1 * m + (1 - b1) * g
;;   v <- b2 * v + (1 - b2) * g * g
;;   w' <- w - step * m / (sqrt(v) + eps)
;;
;; `step` and `eps` arrive with Adam's bias corrections folded in (adam.ts). Pointers are
;; byte offsets into the imported memory; `n` counts elements. The new weights `w'` go to `$wo`,
;; which may be `$w` itself or another tensor's memory. `decay` is the same update for a
;; zero gradient: the rows of an output layer that no sampled action touched.
;;
;; Moments below 1e-30 in magnitude are flushed to zero. An input that stays zero (a hashed feature
;; no state sets, a dead unit) has a zero gradient, and its m decays by b1 each step into the
;; subnormal range, where 0.9 x the smallest subnormal rounds back to itself: it stays there for
;; good, and x86 computes on subnormals ~25x slower (Adam's step on the first layer went from 0.15
;; to 3.9 ms). Below 1e-30 a moment is far too small to change a weight: sqrt(v) is then < 1e-15,
;; far under eps.
;;
;; Rebuild adam.wasm after an edit: `npm run build:kernels` (a test checks the two agree).
(module
  (import "env" "memory" (memory 1))

  (func (export "adam")
    (param $w i32) (param $wo i32) (param $g i32) (param $m i32) (param $v i32) (param $n i32)
    (param $b1 f32) (param $b2 f32) (param $step f32) (param $eps f32)
    (local $i i32) (local $end i32) (local $wide i32)
    (local $B1 v128) (local $B2 v128) (local $A1 v128) (local $A2 v128) (local $S v128) (local $E v128)
    (local $gk v128) (local $mk v128) (local $vk v128) (local $T v128)
    (local $gs f32) (local $ms f32) (local $vs f32)
    (local.set $T (f32x4.splat (f32.const 1e-30)))
    (local.set $B1 (f32x4.splat (local.get $b1)))
    (local.set $B2 (f32x4.splat (local.get $b2)))
    (local.set $A1 (f32x4.splat (f32.sub (f32.const 1) (local.get $b1))))
    (local.set $A2 (f32x4.splat (f32.sub (f32.const 1) (local.get $b2))))
    (local.set $S (f32x4.splat (local.get $step)))
    (local.set $E (f32x4.splat (local.get $eps)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $wide (i32.and (local.get $end) (i32.const -16)))
    (block $done
      (loop $lanes
        (br_if $done (i32.ge_u (local.get $i) (local.get $wide)))
        (local.set $gk (v128.load align=4 (i32.add (local.get $g) (local.get $i))))
        (local.set $mk (f32x4.add
          (f32x4.mul (local.get $B1) (v128.load align=4 (i32.add (local.get $m) (local.get $i))))
          (f32x4.mul (local.get $A1) (local.get $gk))))
        (local.set $vk (f32x4.add
          (f32x4.mul (local.get $B2) (v128.load align=4 (i32.add (local.get $v) (local.get $i))))
          (f32x4.mul (local.get $A2) (f32x4.mul (local.get $gk) (local.get $gk)))))
        (local.set $mk (v128.andnot (local.get $mk) (f32x4.lt (f32x4.abs (local.get $mk)) (local.get $T))))
        (local.set $vk (v128.andnot (local.get $vk) (f32x4.lt (f32x4.abs (local.get $vk)) (local.get $T))))
        (v128.store align=4 (i32.add (local.get $m) (local.get $i)) (local.get $mk))
        (v128.store align=4 (i32.add (local.get $v) (local.get $i)) (local.get $vk))
        (v128.store align=4 (i32.add (local.get $wo) (local.get $i))
          (f32x4.sub
            (v128.load align=4 (i32.add (local.get $w) (local.get $i)))
            (f32x4.div
              (f32x4.mul (local.get $S) (local.get $mk))
              (f32x4.add (f32x4.sqrt (local.get $vk)) (local.get $E)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $lanes)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $gs (f32.load (i32.add (local.get $g) (local.get $i))))
        (local.set $ms (f32.add
          (f32.mul (local.get $b1) (f32.load (i32.add (local.get $m) (local.get $i))))
          (f32.mul (f32.sub (f32.const 1) (local.get $b1)) (local.get $gs))))
        (local.set $vs (f32.add
          (f32.mul (local.get $b2) (f32.load (i32.add (local.get $v) (local.get $i))))
          (f32.mul (f32.sub (f32.const 1) (local.get $b2)) (f32.mul (local.get $gs) (local.get $gs)))))
        (local.set $ms (select (f32.const 0) (local.get $ms) (f32.lt (f32.abs (local.get $ms)) (f32.const 1e-30))))
        (local.set $vs (select (f32.const 0) (local.get $vs) (f32.lt (f32.abs (local.get $vs)) (f32.const 1e-30))))
        (f32.store (i32.add (local.get $m) (local.get $i)) (local.get $ms))
        (f32.store (i32.add (local.get $v) (local.get $i)) (local.get $vs))
        (f32.store (i32.add (local.get $wo) (local.get $i))
          (f32.sub
            (f32.load (i32.add (local.get $w) (local.get $i)))
            (f32.div
              (f32.mul (local.get $step) (local.get $ms))
              (f32.add (f32.sqrt (local.get $vs)) (local.get $eps)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $tail))))

  (func (export "decay")
    (param $w i32) (param $wo i32) (param $m i32) (param $v i32) (param $n i32)
    (param $b1 f32) (param $b2 f32) (param $step f32) (param $eps f32)
    (local $i i32) (local $end i32) (local $wide i32)
    (local $B1 v128) (local $B2 v128) (local $S v128) (local $E v128)
    (local $mk v128) (local $vk v128) (local $T v128)
    (local $ms f32) (local $vs f32)
    (local.set $T (f32x4.splat (f32.const 1e-30)))
    (local.set $B1 (f32x4.splat (local.get $b1)))
    (local.set $B2 (f32x4.splat (local.get $b2)))
    (local.set $S (f32x4.splat (local.get $step)))
    (local.set $E (f32x4.splat (local.get $eps)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $wide (i32.and (local.get $end) (i32.const -16)))
    (block $done
      (loop $lanes
        (br_if $done (i32.ge_u (local.get $i) (local.get $wide)))
        (local.set $mk (f32x4.mul (local.get $B1) (v128.load align=4 (i32.add (local.get $m) (local.get $i)))))
        (local.set $vk (f32x4.mul (local.get $B2) (v128.load align=4 (i32.add (local.get $v) (local.get $i)))))
        (local.set $mk (v128.andnot (local.get $mk) (f32x4.lt (f32x4.abs (local.get $mk)) (local.get $T))))
        (local.set $vk (v128.andnot (local.get $vk) (f32x4.lt (f32x4.abs (local.get $vk)) (local.get $T))))
        (v128.store align=4 (i32.add (local.get $m) (local.get $i)) (local.get $mk))
        (v128.store align=4 (i32.add (local.get $v) (local.get $i)) (local.get $vk))
        (v128.store align=4 (i32.add (local.get $wo) (local.get $i))
          (f32x4.sub
            (v128.load align=4 (i32.add (local.get $w) (local.get $i)))
            (f32x4.div
              (f32x4.mul (local.get $S) (local.get $mk))
              (f32x4.add (f32x4.sqrt (local.get $vk)) (local.get $E)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $lanes)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $ms (f32.mul (local.get $b1) (f32.load (i32.add (local.get $m) (local.get $i)))))
        (local.set $vs (f32.mul (local.get $b2) (f32.load (i32.add (local.get $v) (local.get $i)))))
        (local.set $ms (select (f32.const 0) (local.get $ms) (f32.lt (f32.abs (local.get $ms)) (f32.const 1e-30))))
        (local.set $vs (select (f32.const 0) (local.get $vs) (f32.lt (f32.abs (local.get $vs)) (f32.const 1e-30))))
        (f32.store (i32.add (local.get $m) (local.get $i)) (local.get $ms))
        (f32.store (i32.add (local.get $v) (local.get $i)) (local.get $vs))
        (f32.store (i32.add (local.get $wo) (local.get $i))
          (f32.sub
            (f32.load (i32.add (local.get $w) (local.get $i)))
            (f32.div
              (f32.mul (local.get $step) (local.get $ms))
              (f32.add (f32.sqrt (local.get $vs)) (local.get $eps)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $tail)))))
