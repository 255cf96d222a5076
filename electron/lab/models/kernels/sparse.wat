;; The first layer over sparse inputs (WebAssembly SIMD). A batch of states is mostly zeros
;; (hashed features: ~40 of the code block's 264 values are set), so the first layer's products
;; walk the set values only, given as compressed rows: for row r, entries starts[r]..starts[r+1]-1
;; of `idx` (the column) and `vals` (the value). Pointers are byte offsets into the imported
;; memory (tfjs's heap); `rows`, `cols` count elements.
;;
;;   rowsTimes:   out[r, :] = bias + sum over r's entries k of vals[k] * d[idx[k], :]
;;                (d is the weight transposed, [in, out]; cols % 16 == 0, in 16-wide register tiles;
;;                bias 0: none, as no tensor lives at address 0)
;;   scatterRows: out[idx[k], :] += vals[k] * g[r, :] over every row r and entry k
;;                (the weight gradient, transposed; cols % 4 == 0)
;;   transpose:   dst[c, r] = src[r, c] for a [rows, cols] matrix, in 16 x 16 tiles
;;
;; Rebuild sparse.wasm after an edit: `npm run build:kernels` (a test checks the two agree).
(module
  (import "env" "memory" (memory 1))
  (func (export "rowsTimes")
    (param $starts i32) (param $idx i32) (param $vals i32) (param $rows i32)
    (param $d i32) (param $cols i32) (param $bias i32) (param $out i32)
    (local $r i32) (local $c i32) (local $k i32) (local $kEnd i32) (local $rowBytes i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $x v128) (local $src i32) (local $o i32)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (block $rowsDone (loop $rowLoop
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $c (i32.const 0))
      (block $colsDone (loop $colLoop
        (br_if $colsDone (i32.ge_u (local.get $c) (local.get $rowBytes)))
        (if (i32.eqz (local.get $bias))
          (then
            (local.set $a0 (v128.const i32x4 0 0 0 0))
            (local.set $a1 (v128.const i32x4 0 0 0 0))
            (local.set $a2 (v128.const i32x4 0 0 0 0))
            (local.set $a3 (v128.const i32x4 0 0 0 0)))
          (else
            (local.set $a0 (v128.load (i32.add (local.get $bias) (local.get $c))))
            (local.set $a1 (v128.load offset=16 (i32.add (local.get $bias) (local.get $c))))
            (local.set $a2 (v128.load offset=32 (i32.add (local.get $bias) (local.get $c))))
            (local.set $a3 (v128.load offset=48 (i32.add (local.get $bias) (local.get $c))))))
        (local.set $k (i32.load (i32.add (local.get $starts) (i32.shl (local.get $r) (i32.const 2)))))
        (local.set $kEnd (i32.load offset=4 (i32.add (local.get $starts) (i32.shl (local.get $r) (i32.const 2)))))
        (block $nzDone (loop $nzLoop
          (br_if $nzDone (i32.ge_u (local.get $k) (local.get $kEnd)))
          (local.set $x (f32x4.splat (f32.load (i32.add (local.get $vals) (i32.shl (local.get $k) (i32.const 2))))))
          (local.set $src (i32.add (i32.add (local.get $d) (local.get $c))
            (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $k) (i32.const 2)))) (local.get $rowBytes))))
          (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $x) (v128.load (local.get $src)))))
          (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $x) (v128.load offset=16 (local.get $src)))))
          (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $x) (v128.load offset=32 (local.get $src)))))
          (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $x) (v128.load offset=48 (local.get $src)))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $nzLoop)))
        (local.set $o (i32.add (i32.add (local.get $out) (i32.mul (local.get $r) (local.get $rowBytes))) (local.get $c)))
        (v128.store (local.get $o) (local.get $a0))
        (v128.store offset=16 (local.get $o) (local.get $a1))
        (v128.store offset=32 (local.get $o) (local.get $a2))
        (v128.store offset=48 (local.get $o) (local.get $a3))
        (local.set $c (i32.add (local.get $c) (i32.const 64)))
        (br $colLoop)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rowLoop))))
  (func (export "scatterRows")
    (param $starts i32) (param $idx i32) (param $vals i32) (param $rows i32)
    (param $g i32) (param $cols i32) (param $out i32)
    (local $r i32) (local $c i32) (local $k i32) (local $kEnd i32) (local $rowBytes i32) (local $x v128) (local $src i32) (local $dst i32)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (block $rowsDone (loop $rowLoop
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $k (i32.load (i32.add (local.get $starts) (i32.shl (local.get $r) (i32.const 2)))))
      (local.set $kEnd (i32.load offset=4 (i32.add (local.get $starts) (i32.shl (local.get $r) (i32.const 2)))))
      (local.set $src (i32.add (local.get $g) (i32.mul (local.get $r) (local.get $rowBytes))))
      (block $nzDone (loop $nzLoop
        (br_if $nzDone (i32.ge_u (local.get $k) (local.get $kEnd)))
        (local.set $x (f32x4.splat (f32.load (i32.add (local.get $vals) (i32.shl (local.get $k) (i32.const 2))))))
        (local.set $dst (i32.add (local.get $out) (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $k) (i32.const 2)))) (local.get $rowBytes))))
        (local.set $c (i32.const 0))
        (block $colsDone (loop $colLoop
          (br_if $colsDone (i32.ge_u (local.get $c) (local.get $rowBytes)))
          (v128.store (i32.add (local.get $dst) (local.get $c))
            (f32x4.add (v128.load (i32.add (local.get $dst) (local.get $c)))
              (f32x4.mul (local.get $x) (v128.load (i32.add (local.get $src) (local.get $c))))))
          (local.set $c (i32.add (local.get $c) (i32.const 16)))
          (br $colLoop)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $nzLoop)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rowLoop))))
  (func (export "transpose") (param $src i32) (param $rows i32) (param $cols i32) (param $dst i32)
    (local $r0 i32) (local $c0 i32) (local $r i32) (local $c i32) (local $rEnd i32) (local $cEnd i32)
    (block $r0Done (loop $r0Loop
      (br_if $r0Done (i32.ge_u (local.get $r0) (local.get $rows)))
      (local.set $rEnd (select (i32.add (local.get $r0) (i32.const 16)) (local.get $rows) (i32.lt_u (i32.add (local.get $r0) (i32.const 16)) (local.get $rows))))
      (local.set $c0 (i32.const 0))
      (block $c0Done (loop $c0Loop
        (br_if $c0Done (i32.ge_u (local.get $c0) (local.get $cols)))
        (local.set $cEnd (select (i32.add (local.get $c0) (i32.const 16)) (local.get $cols) (i32.lt_u (i32.add (local.get $c0) (i32.const 16)) (local.get $cols))))
        (local.set $r (local.get $r0))
        (block $rDone (loop $rLoop
          (br_if $rDone (i32.ge_u (local.get $r) (local.get $rEnd)))
          (local.set $c (local.get $c0))
          (block $cDone (loop $cLoop
            (br_if $cDone (i32.ge_u (local.get $c) (local.get $cEnd)))
            (f32.store (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $rows)) (local.get $r)) (i32.const 2)))
              (f32.load (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2)))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $cLoop)))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br $rLoop)))
        (local.set $c0 (i32.add (local.get $c0) (i32.const 16)))
        (br $c0Loop)))
      (local.set $r0 (i32.add (local.get $r0) (i32.const 16)))
      (br $r0Loop))))
)
