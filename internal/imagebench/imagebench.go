// Package imagebench generates photo-like JPEGs and a Hugo site that
// resizes them, and times generator/images on the same files: the images
// columns of scripts/bench-images.sh (docs/performance.md).
package imagebench

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/dossier-ssg/dossier/generator/images"
)

// Widths are the widths both tools make, each as JPEG and WebP.
var Widths = images.DefaultSpec.Widths

// Photo draws a w×h photo-like picture: a sky and ground of gradients,
// soft-edged shapes and sensor noise (a flat test card compresses far
// better than a photo, and would flatter every encoder).
func Photo(w, h int, seed uint64) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, 0x1d05))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	type blob struct{ x, y, rx, ry, c0, c1, c2 float64 }
	blobs := make([]blob, 12)
	for i := range blobs {
		blobs[i] = blob{r.Float64() * float64(w), r.Float64() * float64(h), 40 + r.Float64()*300, 40 + r.Float64()*200,
			r.Float64() * 255, r.Float64() * 255, r.Float64() * 255}
	}
	horizon := float64(h) * (0.4 + 0.2*r.Float64())
	for y := range h {
		for x := range w {
			fy := float64(y)
			var c [3]float64
			if fy < horizon {
				c = [3]float64{90 + 80*fy/horizon, 140 + 60*fy/horizon, 230 - 30*fy/horizon}
			} else {
				t := (fy - horizon) / (float64(h) - horizon)
				c = [3]float64{70 + 50*t + 20*math.Sin(float64(x)/37), 100 + 30*t, 50 + 20*math.Cos(float64(x+y)/23)}
			}
			for _, b := range blobs {
				dx, dy := (float64(x)-b.x)/b.rx, (float64(y)-b.y)/b.ry
				if d := dx*dx + dy*dy; d < 1.2 {
					a := math.Min(1, (1.2-d)*4)
					c = [3]float64{c[0]*(1-a) + b.c0*a, c[1]*(1-a) + b.c1*a, c[2]*(1-a) + b.c2*a}
				}
			}
			n := r.NormFloat64() * 5
			o := img.PixOffset(x, y)
			for i := range 3 {
				img.Pix[o+i] = uint8(math.Max(0, math.Min(255, c[i]+n)))
			}
			img.Pix[o+3] = 255
		}
	}
	return img
}

// Generate writes n w×h JPEGs (quality 90, like a camera's) into dir, and,
// when hugoDir is not empty, a Hugo site whose pages are bundles of one of
// them each, resized by its single template as Process does.
func Generate(n, w, h int, dir, hugoDir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			var b bytes.Buffer
			if errs[i] = jpeg.Encode(&b, Photo(w, h, uint64(i)), &jpeg.Options{Quality: 90}); errs[i] != nil {
				return
			}
			errs[i] = os.WriteFile(filepath.Join(dir, fmt.Sprintf("photo-%04d.jpg", i)), b.Bytes(), 0o644)
			if errs[i] == nil && hugoDir != "" {
				page := filepath.Join(hugoDir, "content", fmt.Sprintf("p%04d", i))
				if errs[i] = os.MkdirAll(page, 0o755); errs[i] == nil {
					errs[i] = os.WriteFile(filepath.Join(page, "index.md"), fmt.Appendf(nil, "---\ntitle: Photo %d\n---\n", i), 0o644)
				}
				if errs[i] == nil {
					errs[i] = os.WriteFile(filepath.Join(page, "photo.jpg"), b.Bytes(), 0o644)
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	if hugoDir == "" {
		return nil
	}
	return writeHugo(hugoDir)
}

// writeHugo writes the Hugo site's configuration and template: each page
// resizes its photo to every width, as JPEG and as WebP, at our quality
// and with our filter (Catmull-Rom; Hugo's default is Box).
func writeHugo(dir string) error {
	var ws []string
	for _, w := range Widths {
		ws = append(ws, fmt.Sprint(w))
	}
	config := fmt.Sprintf("baseURL = 'https://example.org/'\ndisableKinds = ['taxonomy', 'term', 'RSS', 'sitemap', 'robotsTXT', '404']\n[imaging]\nquality = %d\nresampleFilter = 'CatmullRom'\n", images.DefaultQuality)
	single := `{{ $img := .Resources.GetMatch "photo.jpg" }}{{ range slice ` + strings.Join(ws, " ") + ` }}{{ $w := . }}{{ ($img.Resize (printf "%dx" $w)).RelPermalink }} {{ ($img.Resize (printf "%dx webp" $w)).RelPermalink }}
{{ end }}`
	files := map[string]string{
		"config.toml":                  config,
		"layouts/_default/single.html": single,
		"layouts/_default/list.html":   "{{ range .Pages }}{{ .Title }}{{ end }}",
		"layouts/index.html":           "{{ len .Site.RegularPages }}",
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Result is one timed run of Run.
type Result struct {
	Images, Files int
	Bytes         int64
	Seconds       float64
	Decoded, Hits int64
}

// Run processes every JPEG of dir with DefaultSpec, a worker per core as a
// build does, through the cache in cacheDir, and writes the variants into
// out (when not empty), as a build publishes them.
func Run(dir, cacheDir, out string) (Result, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.jpg"))
	if err != nil {
		return Result{}, err
	}
	sort.Strings(names)
	start := time.Now()
	p, err := images.NewProcessor(cacheDir, images.DefaultLimits)
	if err != nil {
		return Result{}, err
	}
	var mu sync.Mutex
	res := Result{Images: len(names)}
	var first error
	work := make(chan string)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for name := range work {
				files, n, err := one(p, name, out)
				mu.Lock()
				res.Files += files
				res.Bytes += n
				if err != nil && first == nil {
					first = err
				}
				mu.Unlock()
			}
		})
	}
	for _, n := range names {
		work <- n
	}
	close(work)
	wg.Wait()
	res.Seconds = time.Since(start).Seconds()
	s := p.Stats()
	res.Decoded, res.Hits = s.Decoded, s.Hits
	return res, first
}

func one(p *images.Processor, name, out string) (int, int64, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return 0, 0, err
	}
	r, err := p.Process(filepath.Base(name), data, images.DefaultSpec)
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %v", name, err)
	}
	var n int64
	for _, v := range r.Variants {
		n += int64(len(v.Data))
		if out != "" {
			if err := os.MkdirAll(out, 0o755); err != nil {
				return 0, 0, err
			}
			if err := os.WriteFile(filepath.Join(out, v.Name), v.Data, 0o644); err != nil {
				return 0, 0, err
			}
		}
	}
	return len(r.Variants), n, nil
}
