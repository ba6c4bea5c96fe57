;; floatlab's WebAssembly kernels: float32 → 16-bit IEEE-style formats (float16, bfloat16) with
;; tiesToEven, and back. Four elements per SIMD step, then one at a time for the tail. Every
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

  ;; One float32 word to its code (the tail; the SIMD loop of encode does the same four at a time).
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
    (local $end i32) (local $a v128) (local $mag v128) (local $code v128) (local $vadd v128) (local $vmin v128) (local $vmagic v128)
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
    ;; $end: the source address after the last whole group of four. (The body is written out here,
    ;; not called: V8 does not inline calls between WebAssembly functions.)
    (local.set $end (i32.add (local.get $src) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $four
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (local.set $a (v128.load (local.get $src)))
        (local.set $mag (v128.and (local.get $a) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff)))
        (local.set $code
          (v128.bitselect
            (i32x4.sub (f32x4.add (local.get $mag) (local.get $vmagic)) (local.get $vmagic))
            (i32x4.shr_u
              (i32x4.add
                (i32x4.add (local.get $mag) (local.get $vadd))
                (v128.and (i32x4.shr_u (local.get $mag) (local.get $sh)) (v128.const i32x4 1 1 1 1)))
              (local.get $sh))
            (i32x4.lt_u (local.get $mag) (local.get $vmin))))
        (local.set $code (i32x4.min_u (local.get $code) (local.get $vtop)))
        (local.set $code (v128.and (local.get $code) (i32x4.ge_u (local.get $code) (local.get $vflush))))
        (local.set $code
          (v128.or (local.get $code)
            (i32x4.shr_u (v128.and (local.get $a) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000)) (i32.const 16))))
        (local.set $code
          (v128.bitselect (local.get $vnan) (local.get $code)
            (i32x4.gt_u (local.get $mag) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000))))
        (v128.store64_lane 0 (local.get $dst) (i16x8.narrow_i32x4_u (local.get $code) (local.get $code)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
        (br $four)))
    (local.set $end (i32.add (local.get $src) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
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
            (i32x4.lt_u (local.get $mag) (local.get $vmin))))
        (local.set $word
          (v128.bitselect (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000) (local.get $word)
            (i32x4.ge_u (local.get $mag) (local.get $vinf))))
        (local.set $word
          (v128.or (local.get $word)
            (i32x4.shl (v128.and (local.get $c) (v128.const i32x4 0x8000 0x8000 0x8000 0x8000)) (i32.const 16))))
        (v128.store (local.get $dst)
          (v128.bitselect (local.get $vnan) (local.get $word) (i32x4.gt_u (local.get $mag) (local.get $vinf))))
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
)
