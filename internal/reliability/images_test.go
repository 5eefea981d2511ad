package reliability

import (
	"testing"

	"github.com/dossier-ssg/dossier/internal/testimage"
)

// The image cases' files are made here: binary files are not committed.
func init() {
	pact := "content/dossiers/pact/"
	photo := func(t *testing.T, site string) {
		writeFile(t, site, pact+"photo.jpg", testimage.WithEXIF(testimage.JPEG(600, 400, 1), 1))
	}
	for name, gen := range map[string]func(t *testing.T, site, tmp string){
		"image-corrupt": func(t *testing.T, site, tmp string) {
			writeFile(t, site, pact+"photo.jpg", []byte("\xff\xd8\xff\xe0 not really a JPEG, only its first bytes"))
		},
		"image-truncated": func(t *testing.T, site, tmp string) {
			jpg := testimage.JPEG(600, 400, 2)
			writeFile(t, site, pact+"photo.jpg", jpg[:len(jpg)/2])
		},
		"image-unknown-format": func(t *testing.T, site, tmp string) {
			writeFile(t, site, pact+"map.png", testimage.BMP())
		},
		"image-bomb": func(t *testing.T, site, tmp string) {
			writeFile(t, site, pact+"bomb.png", testimage.Bomb(100_000, 100_000))
		},
		"image-alt": func(t *testing.T, site, tmp string) {
			photo(t, site)
			writeFile(t, site, "content/treaties/pact.jpg", testimage.JPEG(400, 560, 3))
		},
		"image-all-errors": func(t *testing.T, site, tmp string) {
			writeFile(t, site, pact+"bomb.png", testimage.Bomb(100_000, 100_000))
			jpg := testimage.JPEG(600, 400, 2)
			writeFile(t, site, pact+"photo.jpg", jpg[:len(jpg)/2])
			writeFile(t, site, pact+"map.png", testimage.BMP())
		},
		"image-alt-front-matter": func(t *testing.T, site, tmp string) { photo(t, site) },
		"image-ok": func(t *testing.T, site, tmp string) {
			photo(t, site)
			writeFile(t, site, pact+"map.png", testimage.PNG(300, 200, 4))
		},
	} {
		generators[name] = gen
	}
}

func init() {
	generators["image-missing"] = func(t *testing.T, site, tmp string) {
		writeFile(t, site, "content/dossiers/pact/summit.jpg", testimage.JPEG(300, 200, 5))
	}
}
