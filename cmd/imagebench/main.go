// Command imagebench makes the images of scripts/bench-images.sh and times
// dossier's image processing on them (internal/imagebench).
//
//	imagebench gen -n 50 -dir photos -hugo hugosite   # 2000×1333 JPEGs, and a Hugo site resizing them
//	imagebench run -dir photos -cache c -out o        # one timed run: "images files bytes seconds decoded hits"
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/dossier-ssg/dossier/internal/imagebench"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: imagebench gen|run [flags]")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	n := fs.Int("n", 20, "gen: number of images")
	w := fs.Int("width", 2000, "gen: image width")
	h := fs.Int("height", 1333, "gen: image height")
	dir := fs.String("dir", "", "the folder of JPEGs")
	hugo := fs.String("hugo", "", "gen: also write a Hugo site resizing them here")
	cache := fs.String("cache", "", "run: the image cache folder (empty: memory only)")
	out := fs.String("out", "", "run: write the variants here")
	fs.Parse(os.Args[2:])
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "imagebench: -dir is required")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "gen":
		if err := imagebench.Generate(*n, *w, *h, *dir, *hugo); err != nil {
			fmt.Fprintln(os.Stderr, "imagebench:", err)
			os.Exit(1)
		}
	case "run":
		r, err := imagebench.Run(*dir, *cache, *out)
		if err != nil {
			fmt.Fprintln(os.Stderr, "imagebench:", err)
			os.Exit(1)
		}
		fmt.Printf("%d %d %d %.3f %d %d\n", r.Images, r.Files, r.Bytes, r.Seconds, r.Decoded, r.Hits)
	default:
		fmt.Fprintln(os.Stderr, "usage: imagebench gen|run [flags]")
		os.Exit(2)
	}
}
