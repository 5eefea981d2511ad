package images

import (
	"image"
	"math"
	"runtime"
	"sync"
)

// The resampler: separable Catmull-Rom (the cubic of x/image/draw's
// CatmullRom and Hugo's "CatmullRom" filter; sharper than Hugo's default
// Box, softer than Lanczos's ringing), its support widened by the scale
// when shrinking so every source pixel counts, in 14-bit fixed point on
// premultiplied 8-bit RGBA, rows spread over the cores. Integer arithmetic
// and a fixed split make the output the same bytes on every machine.

const weightBits = 14

func catmullRom(x float64) float64 {
	x = math.Abs(x)
	switch {
	case x < 1:
		return (1.5*x-2.5)*x*x + 1
	case x < 2:
		return ((-0.5*x+2.5)*x-4)*x + 2
	}
	return 0
}

// taps are the weights of a one-dimensional resampling from n to m
// pixels: output pixel i is the sum over k < width of
// w[i*width+k] * in[start[i]+k]; every start[i]+width is within n (the
// weights past the kernel are 0).
type taps struct {
	start []int
	w     []int32
	width int
}

func makeTaps(n, m int) taps {
	scale := max(float64(n)/float64(m), 1)
	support := 2 * scale
	width := min(int(math.Ceil(support))*2+1, n)
	t := taps{start: make([]int, m), w: make([]int32, m*width), width: width}
	ratio := float64(n) / float64(m)
	fw := make([]float64, width)
	for i := range m {
		center := (float64(i) + 0.5) * ratio
		start := min(max(int(math.Floor(center-support)), 0), n-width)
		t.start[i] = start
		sum := 0.0
		for k := range width {
			fw[k] = catmullRom((float64(start+k) + 0.5 - center) / scale)
			sum += fw[k]
		}
		if sum == 0 {
			sum = 1
		}
		ws := t.w[i*width : (i+1)*width]
		total, big := int32(0), 0
		for k := range ws {
			ws[k] = int32(math.Round(fw[k] / sum * (1 << weightBits)))
			total += ws[k]
			if ws[k] > ws[big] {
				big = k
			}
		}
		ws[big] += 1<<weightBits - total // the weights sum to exactly 1
	}
	return t
}

// resize scales src (premultiplied RGBA, any bounds) to w×h.
func resize(src *image.RGBA, w, h int) *image.RGBA {
	sb := src.Bounds()
	if sb.Dx() == w && sb.Dy() == h {
		out := image.NewRGBA(image.Rect(0, 0, w, h))
		for y := range h {
			copy(out.Pix[y*out.Stride:y*out.Stride+4*w], src.Pix[src.PixOffset(sb.Min.X, sb.Min.Y+y):])
		}
		return out
	}
	tx, ty := makeTaps(sb.Dx(), w), makeTaps(sb.Dy(), h)
	mid := image.NewRGBA(image.Rect(0, 0, w, sb.Dy()))
	parallel(sb.Dy(), func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			off := src.PixOffset(sb.Min.X, sb.Min.Y+y)
			horizontal(mid.Pix[y*mid.Stride:y*mid.Stride+4*w], src.Pix[off:off+4*sb.Dx()], tx)
		}
	})
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	parallel(h, func(y0, y1 int) {
		acc := make([]int32, 4*w)
		for y := y0; y < y1; y++ {
			vertical(out.Pix[y*out.Stride:y*out.Stride+4*w], mid, ty, y, acc)
		}
	})
	return out
}

func horizontal(dst, row []byte, t taps) {
	for x := 0; x < len(dst)/4; x++ {
		var r, g, b, a int32
		ws := t.w[x*t.width : x*t.width+t.width]
		p := row[t.start[x]*4 : t.start[x]*4+4*len(ws)]
		for k, wk := range ws {
			q := p[4*k : 4*k+4 : 4*k+4]
			r += wk * int32(q[0])
			g += wk * int32(q[1])
			b += wk * int32(q[2])
			a += wk * int32(q[3])
		}
		store(dst[4*x:4*x+4:4*x+4], r, g, b, a)
	}
}

func vertical(dst []byte, mid *image.RGBA, t taps, y int, acc []int32) {
	clear(acc)
	ws := t.w[y*t.width : y*t.width+t.width]
	for k, wk := range ws {
		if wk == 0 {
			continue
		}
		sy := t.start[y] + k
		row := mid.Pix[sy*mid.Stride : sy*mid.Stride+len(acc)]
		acc := acc[:len(row)]
		for i, v := range row {
			acc[i] += wk * int32(v)
		}
	}
	for x := 0; x+4 <= len(acc); x += 4 {
		store(dst[x:x+4:x+4], acc[x], acc[x+1], acc[x+2], acc[x+3])
	}
}

// store rounds, clamps (the cubic's negative lobes overshoot) and keeps
// premultiplied colour within alpha.
func store(p []byte, r, g, b, a int32) {
	const half = 1 << (weightBits - 1)
	a = clamp((a+half)>>weightBits, 255)
	p[0] = uint8(clamp((r+half)>>weightBits, a))
	p[1] = uint8(clamp((g+half)>>weightBits, a))
	p[2] = uint8(clamp((b+half)>>weightBits, a))
	p[3] = uint8(a)
}

func clamp(v, hi int32) int32 {
	if v < 0 {
		return 0
	}
	if v > hi {
		return hi
	}
	return v
}

// parallel runs f over [0,n) in one contiguous band per core.
func parallel(n int, f func(y0, y1 int)) {
	workers := min(runtime.GOMAXPROCS(0), max(n/16, 1))
	if workers <= 1 {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	for i := range workers {
		y0, y1 := n*i/workers, n*(i+1)/workers
		wg.Go(func() { f(y0, y1) })
	}
	wg.Wait()
}

// orient applies an EXIF orientation (1-8) to img.
func orient(img *image.RGBA, o int) *image.RGBA {
	if o <= 1 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	out := image.NewRGBA(image.Rect(0, 0, dw, dh))
	parallel(h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			row := img.Pix[img.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := range w {
				var dx, dy int
				switch o {
				case 2:
					dx, dy = w-1-x, y
				case 3:
					dx, dy = w-1-x, h-1-y
				case 4:
					dx, dy = x, h-1-y
				case 5:
					dx, dy = y, x
				case 6:
					dx, dy = h-1-y, x
				case 7:
					dx, dy = h-1-y, w-1-x
				case 8:
					dx, dy = y, w-1-x
				}
				copy(out.Pix[dy*out.Stride+4*dx:dy*out.Stride+4*dx+4], row[4*x:4*x+4])
			}
		}
	})
	return out
}
