package corpus

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/dossier-ssg/dossier/internal/testimage"
)

// Pictures of a corpus with Options.Images: a lead image for every dossier
// and a portrait for every other actor, 2000×1333 JPEGs. Drawing and
// encoding a picture takes longer than writing a dossier, so the corpus
// draws sourcePictures of them once and gives each file its own bytes with
// a JPEG comment naming it: every file is a distinct source for the image
// cache (a cold build resizes every one), with the pixels of one of a few.
const (
	PictureWidth, PictureHeight = 2000, 1333
	sourcePictures              = 6
)

var (
	sourcesOnce sync.Once
	sources     [][]byte
)

// picture returns the JPEG of the lead image or portrait named name.
func picture(name string, i int) []byte {
	sourcesOnce.Do(func() {
		sources = make([][]byte, sourcePictures)
		parallel(sourcePictures, func(k int) { sources[k] = testimage.JPEG(PictureWidth, PictureHeight, k) })
	})
	src := sources[i%sourcePictures]
	comment := []byte("corpus picture " + name)
	var b bytes.Buffer
	b.Grow(len(src) + len(comment) + 4)
	b.Write(src[:2]) // SOI
	b.Write([]byte{0xFF, 0xFE, byte((len(comment) + 2) >> 8), byte(len(comment) + 2)})
	b.Write(comment)
	b.Write(src[2:])
	return b.Bytes()
}

// hasPortrait reports whether the actor at index i of the corpus has a portrait.
func hasPortrait(i int) bool { return i%2 == 0 }

// leadImage is a dossier's image field.
func leadImage(d *Dossier) string {
	return fmt.Sprintf("image: {src: lead.jpg, alt: %s}\n", yq("Photo: "+d.Title))
}
