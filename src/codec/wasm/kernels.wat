;; floatlab's WebAssembly kernels: float32 → 16-bit IEEE-style formats (float16, bfloat16) with
;; tiesToEven, and back. Eight (encode) or four (decode) elements per SIMD step, then one at a
;; time for the tail. Every
;; constant that depends on the format comes in as a parameter, derived by the caller from the
;; format's record (see ./kernels.ts), so the module knows no format by name.
;;
;; encode(src, dst, n, sh, add, minNormal, magic, top, flush, nan): for each float32 word a at src,
;;   mag = a & 0x7fffffff
;;   normal    = (mag + add + ((mag >> sh) & 1)) >> sh     (add = half − 1 − the re-bias: tiesToEven)
;;   subnormal = bits(f32(mag) + f32(magic)) − magic       (the FPU rounds ties to even at the quantum)
;;   code = min(mag < minNormal ? subnormal : normal, top) (top: inf, or max when saturating)
;;   code = code < flush ? 0 : code                        (flush: 0, or the smallest normal code)
;;   dst  = NaN input ? nan : code | sign
;; decode(src, dst, n, sh, rebias, minNormal, low, inf, nan): for each 16-bit code c at src,
;;   mag = c & 0x7fff
;;   word = mag < minNormal ? bits(f32((mag << sh) + low) − f32(low)) : (mag << sh) + rebias
;;   (low: the smallest normal's word, so a subnormal is the normal 2^emin·(1 + m) less 2^emin, exactly)
;;   word = mag >= inf ? 0x7f800000 : word, then | sign, and NaN codes (mag > inf) give nan.
(module
  (memory (export "memory") 2)

  (global $sh (mut i32) (i32.const 0))
  (global $add (mut i32) (i32.const 0))
  (global $minNormal (mut i32) (i32.const 0))
  (global $magic (mut i32) (i32.const 0))
  (global $top (mut i32) (i32.const 0))
  (global $flush (mut i32) (i32.const 0))
  (global $nan (mut i32) (i32.const 0))

  ;; One float32 word to its code (the tail; the SIMD loop of encode does the same eight at a time).
  (func $encode1 (param $a i32) (result i32)
    (local $mag i32) (local $code i32)
    (local.set $mag (i32.and (local.get $a) (i32.const 0x7fffffff)))
    (if (i32.gt_u (local.get $mag) (i32.const 0x7f800000)) (then (return (global.get $nan))))
    (local.set $code
      (select
        (i32.sub
          (i32.reinterpret_f32
            (f32.add (f32.reinterpret_i32 (local.get $mag)) (f32.reinterpret_i32 (global.get $magic))))
          (global.get $magic))
        (i32.shr_u
          (i32.add
            (i32.add (local.get $mag) (global.get $add))
            (i32.and (i32.shr_u (local.get $mag) (global.get $sh)) (i32.const 1)))
          (global.get $sh))
        (i32.lt_u (local.get $mag) (global.get $minNormal))))
    (if (i32.gt_u (local.get $code) (global.get $top)) (then (local.set $code (global.get $top))))
    (if (i32.lt_u (local.get $code) (global.get $flush)) (then (local.set $code (i32.const 0))))
    (i32.or (local.get $code) (i32.shr_u (i32.and (local.get $a) (i32.const 0x80000000)) (i32.const 16))))

  (func (export "encode")
    (param $src i32) (param $dst i32) (param $n i32)
    (param $sh i32) (param $add i32) (param $minNormal i32) (param $magic i32)
    (param $top i32) (param $flush i32) (param $nan i32)
    (local $end i32) (local $a v128) (local $b v128) (local $mag v128) (local $magB v128) (local $code v128) (local $codeB v128)
    (local $vadd v128) (local $vmin v128) (local $vmagic v128)
    (local $vtop v128) (local $vflush v128) (local $vnan v128)
    (global.set $sh (local.get $sh))
    (global.set $add (local.get $add))
    (global.set $minNormal (local.get $minNormal))
    (global.set $magic (local.get $magic))
    (global.set $top (local.get $top))
    (global.set $flush (local.get $flush))
    (global.set $nan (local.get $nan))
    (local.set $vadd (i32x4.splat (local.get $add)))
    (local.set $vmin (i32x4.splat (local.get $minNormal)))
    (local.set $vmagic (i32x4.splat (local.get $magic)))
    (local.set $vtop (i32x4.splat (local.get $top)))
    (local.set $vflush (i32x4.splat (local.get $flush)))
    (local.set $vnan (i32x4.splat (local.get $nan)))
    ;; Eight elements a step, as two vectors of four written out in full: V8 neither inlines calls
    ;; between WebAssembly functions nor keeps the splatted constants out of the loop, so the
    ;; second vector shares their cost. Every lane below is non-negative as an int32 (magnitudes,
    ;; codes before the sign), so signed compares, one x64 instruction each, serve.
    (local.set $end (i32.add (local.get $src) (i32.shl (i32.and (local.get $n) (i32.const -8)) (i32.const 2))))
    (block $done
      (loop $eight
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (local.set $a (v128.load (local.get $src)))
        (local.set $b (v128.load offset=16 (local.get $src)))
        (local.set $mag (v128.and (local.get $a) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff)))
        (local.set $code
          (v128.bitselect
            (i32x4.sub (f32x4.add (local.get $mag) (local.get $vmagic)) (local.get $vmagic))
            (i32x4.shr_u
              (i32x4.add
                (i32x4.add (local.get $mag) (local.get $vadd))
                (v128.and (i32x4.shr_u (local.get $mag) (local.get $sh)) (v128.const i32x4 1 1 1 1)))
              (local.get $sh))
            (i32x4.lt_s (local.get $mag) (local.get $vmin))))
        (local.set $code (i32x4.min_u (local.get $code) (local.get $vtop)))
        (local.set $code (v128.andnot (local.get $code) (i32x4.lt_s (local.get $code) (local.get $vflush))))
        (local.set $code
          (v128.or (local.get $code)
            (i32x4.shr_u (v128.and (local.get $a) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000)) (i32.const 16))))
        (local.set $code
          (v128.bitselect (local.get $vnan) (local.get $code)
            (i32x4.gt_s (local.get $mag) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000))))
        (local.set $magB (v128.and (local.get $b) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff)))
        (local.set $codeB
          (v128.bitselect
            (i32x4.sub (f32x4.add (local.get $magB) (local.get $vmagic)) (local.get $vmagic))
            (i32x4.shr_u
              (i32x4.add
                (i32x4.add (local.get $magB) (local.get $vadd))
                (v128.and (i32x4.shr_u (local.get $magB) (local.get $sh)) (v128.const i32x4 1 1 1 1)))
              (local.get $sh))
            (i32x4.lt_s (local.get $magB) (local.get $vmin))))
        (local.set $codeB (i32x4.min_u (local.get $codeB) (local.get $vtop)))
        (local.set $codeB (v128.andnot (local.get $codeB) (i32x4.lt_s (local.get $codeB) (local.get $vflush))))
        (local.set $codeB
          (v128.or (local.get $codeB)
            (i32x4.shr_u (v128.and (local.get $b) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000)) (i32.const 16))))
        (local.set $codeB
          (v128.bitselect (local.get $vnan) (local.get $codeB)
            (i32x4.gt_s (local.get $magB) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000))))
        (v128.store (local.get $dst) (i16x8.narrow_i32x4_u (local.get $code) (local.get $codeB)))
        (local.set $src (i32.add (local.get $src) (i32.const 32)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $eight)))
    (local.set $end (i32.add (local.get $src) (i32.shl (i32.and (local.get $n) (i32.const 7)) (i32.const 2))))
    (block $tailDone
      (loop $one
        (br_if $tailDone (i32.ge_u (local.get $src) (local.get $end)))
        (i32.store16 (local.get $dst) (call $encode1 (i32.load (local.get $src))))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 2)))
        (br $one))))

  ;; One 16-bit code to its float32 word (the tail; the SIMD loop of decode does the same four at a time).
  (func $decode1 (param $c i32) (result i32)
    (local $mag i32) (local $word i32)
    (local.set $mag (i32.and (local.get $c) (i32.const 0x7fff)))
    (if (i32.gt_u (local.get $mag) (global.get $top)) (then (return (global.get $nan))))
    (local.set $word
      (select
        (i32.reinterpret_f32
          (f32.sub
            (f32.reinterpret_i32 (i32.add (i32.shl (local.get $mag) (global.get $sh)) (global.get $magic)))
            (f32.reinterpret_i32 (global.get $magic))))
        (i32.add (i32.shl (local.get $mag) (global.get $sh)) (global.get $add))
        (i32.lt_u (local.get $mag) (global.get $minNormal))))
    (if (i32.eq (local.get $mag) (global.get $top)) (then (local.set $word (i32.const 0x7f800000))))
    (i32.or (local.get $word) (i32.shl (i32.and (local.get $c) (i32.const 0x8000)) (i32.const 16))))

  (func (export "decode")
    (param $src i32) (param $dst i32) (param $n i32)
    (param $sh i32) (param $rebias i32) (param $minNormal i32) (param $low i32)
    (param $inf i32) (param $nan i32)
    (local $end i32) (local $c v128) (local $mag v128) (local $word v128) (local $vrebias v128) (local $vmin v128) (local $vlow v128)
    (local $vinf v128) (local $vnan v128)
    (global.set $sh (local.get $sh))
    (global.set $add (local.get $rebias))
    (global.set $minNormal (local.get $minNormal))
    (global.set $magic (local.get $low))
    (global.set $top (local.get $inf))
    (global.set $nan (local.get $nan))
    (local.set $vrebias (i32x4.splat (local.get $rebias)))
    (local.set $vmin (i32x4.splat (local.get $minNormal)))
    (local.set $vlow (i32x4.splat (local.get $low)))
    (local.set $vinf (i32x4.splat (local.get $inf)))
    (local.set $vnan (i32x4.splat (local.get $nan)))
    (local.set $end (i32.add (local.get $src) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 1))))
    (block $done
      (loop $four
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (local.set $c (i32x4.extend_low_i16x8_u (v128.load64_zero (local.get $src))))
        (local.set $mag (v128.and (local.get $c) (v128.const i32x4 0x7fff 0x7fff 0x7fff 0x7fff)))
        (local.set $word
          (v128.bitselect
            (f32x4.sub (i32x4.add (i32x4.shl (local.get $mag) (local.get $sh)) (local.get $vlow)) (local.get $vlow))
            (i32x4.add (i32x4.shl (local.get $mag) (local.get $sh)) (local.get $vrebias))
            (i32x4.lt_s (local.get $mag) (local.get $vmin))))
        (local.set $word
          (v128.bitselect (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000) (local.get $word)
            (i32x4.eq (local.get $mag) (local.get $vinf))))
        (local.set $word
          (v128.or (local.get $word)
            (i32x4.shl (v128.and (local.get $c) (v128.const i32x4 0x8000 0x8000 0x8000 0x8000)) (i32.const 16))))
        (v128.store (local.get $dst)
          (v128.bitselect (local.get $vnan) (local.get $word) (i32x4.gt_s (local.get $mag) (local.get $vinf))))
        (local.set $src (i32.add (local.get $src) (i32.const 8)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $four)))
    (local.set $end (i32.add (local.get $src) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 1))))
    (block $tailDone
      (loop $one
        (br_if $tailDone (i32.ge_u (local.get $src) (local.get $end)))
        (i32.store (local.get $dst) (call $decode1 (i32.load16_u (local.get $src))))
        (local.set $src (i32.add (local.get $src) (i32.const 2)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (br $one))))
;; The formats whose codes are a float32's top half (bfloat16), with the default options, have
;; leaner kernels, as the JS paths do (truncate32, decodeByShift):
;; truncate(src, dst, n, nan): code = NaN input ? nan : (a + 0x7fff + ((a >> 16) & 1)) >> 16
;; widen(src, dst, n, inf, nan): word = (c & 0x7fff) > inf ? nan : c << 16
  (func (export "truncate") (param $src i32) (param $dst i32) (param $n i32) (param $nan i32)
    (local $end i32) (local $a v128) (local $b v128) (local $vnan v128) (local $x i32)
    (local.set $vnan (i32x4.splat (local.get $nan)))
    (local.set $end (i32.add (local.get $src) (i32.shl (i32.and (local.get $n) (i32.const -8)) (i32.const 2))))
    (block $done
      (loop $eight
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (local.set $a (v128.load (local.get $src)))
        (local.set $b (v128.load offset=16 (local.get $src)))
        (v128.store (local.get $dst)
          (i16x8.narrow_i32x4_u
          (v128.bitselect (local.get $vnan)
            (i32x4.shr_u
              (i32x4.add (i32x4.add (local.get $a) (v128.const i32x4 0x7fff 0x7fff 0x7fff 0x7fff))
                (v128.and (i32x4.shr_u (local.get $a) (i32.const 16)) (v128.const i32x4 1 1 1 1)))
              (i32.const 16))
            (i32x4.gt_s (v128.and (local.get $a) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff))
              (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000)))
          (v128.bitselect (local.get $vnan)
            (i32x4.shr_u
              (i32x4.add (i32x4.add (local.get $b) (v128.const i32x4 0x7fff 0x7fff 0x7fff 0x7fff))
                (v128.and (i32x4.shr_u (local.get $b) (i32.const 16)) (v128.const i32x4 1 1 1 1)))
              (i32.const 16))
            (i32x4.gt_s (v128.and (local.get $b) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff))
              (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000)))
))
        (local.set $src (i32.add (local.get $src) (i32.const 32)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $eight)))
    (local.set $end (i32.add (local.get $src) (i32.shl (i32.and (local.get $n) (i32.const 7)) (i32.const 2))))
    (block $tailDone
      (loop $one
        (br_if $tailDone (i32.ge_u (local.get $src) (local.get $end)))
        (local.set $x (i32.load (local.get $src)))
        (i32.store16 (local.get $dst)
          (select (local.get $nan)
            (i32.shr_u
              (i32.add (i32.add (local.get $x) (i32.const 0x7fff)) (i32.and (i32.shr_u (local.get $x) (i32.const 16)) (i32.const 1)))
              (i32.const 16))
            (i32.gt_u (i32.and (local.get $x) (i32.const 0x7fffffff)) (i32.const 0x7f800000))))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 2)))
        (br $one))))

  (func (export "widen") (param $src i32) (param $dst i32) (param $n i32) (param $inf i32) (param $nan i32)
    (local $end i32) (local $c v128) (local $lo v128) (local $hi v128) (local $vinf v128) (local $vnan v128) (local $x i32)
    (local.set $vinf (i32x4.splat (local.get $inf)))
    (local.set $vnan (i32x4.splat (local.get $nan)))
    (local.set $end (i32.add (local.get $src) (i32.shl (i32.and (local.get $n) (i32.const -8)) (i32.const 1))))
    (block $done
      (loop $eight
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (local.set $c (v128.load (local.get $src)))
        (local.set $lo (i32x4.extend_low_i16x8_u (local.get $c)))
        (local.set $hi (i32x4.extend_high_i16x8_u (local.get $c)))
        (v128.store (local.get $dst)
          (v128.bitselect (local.get $vnan) (i32x4.shl (local.get $lo) (i32.const 16))
            (i32x4.gt_s (v128.and (local.get $lo) (v128.const i32x4 0x7fff 0x7fff 0x7fff 0x7fff)) (local.get $vinf))))
        (v128.store offset=16 (local.get $dst)
          (v128.bitselect (local.get $vnan) (i32x4.shl (local.get $hi) (i32.const 16))
            (i32x4.gt_s (v128.and (local.get $hi) (v128.const i32x4 0x7fff 0x7fff 0x7fff 0x7fff)) (local.get $vinf))))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
        (br $eight)))
    (local.set $end (i32.add (local.get $src) (i32.shl (i32.and (local.get $n) (i32.const 7)) (i32.const 1))))
    (block $tailDone
      (loop $one
        (br_if $tailDone (i32.ge_u (local.get $src) (local.get $end)))
        (local.set $x (i32.load16_u (local.get $src)))
        (i32.store (local.get $dst)
          (select (local.get $nan) (i32.shl (local.get $x) (i32.const 16))
            (i32.gt_u (i32.and (local.get $x) (i32.const 0x7fff)) (local.get $inf))))
        (local.set $src (i32.add (local.get $src) (i32.const 2)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (br $one))))
)
