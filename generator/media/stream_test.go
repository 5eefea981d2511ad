package media

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"maps"
	"slices"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/dossier-ssg/dossier/generator/diag"
	"github.com/dossier-ssg/dossier/generator/images"
	"github.com/dossier-ssg/dossier/generator/model"
)

// photo encodes a w×h JPEG.
func photo(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), uint8(x + y), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// streamSite is a dossier with a lead image wide enough for a social
// card, and an actor with a portrait.
func streamSite(t *testing.T) (*model.Site, fstest.MapFS) {
	fsys := fstest.MapFS{
		"content/dossiers/pact/lead.jpg": {Data: photo(t, 1300, 800)},
		"content/actors/kim.jpg":         {Data: photo(t, 400, 500)},
	}
	site := &model.Site{
		Dossiers: []*model.Dossier{{Slug: "pact", Title: "Pact", Image: &model.Image{File: "content/dossiers/pact/lead.jpg", Alt: "A summit"}}},
		Actors:   []*model.Actor{{Slug: "kim", Name: "Kim", Image: &model.Image{File: "content/actors/kim.jpg", Alt: "Kim"}}},
	}
	return site, fsys
}

// A one-shot publish (Stage, no Cache) is handed every variant of a
// picture as its file is processed, and the result holds none of their
// bytes: the site's pictures are never all in memory until the end. What
// is published is what a build that holds them publishes.
func TestSiteStreamsVariantsWithoutCache(t *testing.T) {
	proc, err := images.NewProcessor("", images.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	site, fsys := streamSite(t)
	var errs diag.List
	held := Site(site, Options{FS: fsys, Processor: proc, BasePath: "/"}, &errs)
	if errs.Len() > 0 {
		t.Fatal(errs.Err())
	}
	wantPictures := []model.Picture{*site.Dossiers[0].Picture, *site.Actors[0].Picture}
	wantCard := *site.Dossiers[0].Card

	site, _ = streamSite(t)
	var mu sync.Mutex
	staged := map[string][]byte{}
	streamed := Site(site, Options{FS: fsys, Processor: proc, BasePath: "/", Stage: func(out string, data []byte) {
		mu.Lock()
		defer mu.Unlock()
		if staged[out] != nil {
			t.Errorf("%s staged twice", out)
		}
		staged[out] = data
	}}, &errs)
	if errs.Len() > 0 {
		t.Fatal(errs.Err())
	}
	if len(held.Files) < 4 {
		t.Fatalf("only %d files made", len(held.Files))
	}
	if got, want := slices.Sorted(maps.Keys(streamed.Files)), slices.Sorted(maps.Keys(held.Files)); !slices.Equal(got, want) {
		t.Errorf("files %q, want %q", got, want)
	}
	for out, data := range streamed.Files {
		if data != nil {
			t.Errorf("%s: %d bytes held in the result", out, len(data))
		}
	}
	if got, want := slices.Sorted(maps.Keys(staged)), slices.Sorted(maps.Keys(held.Files)); !slices.Equal(got, want) {
		t.Errorf("staged %q, want %q", got, want)
	}
	for out, data := range held.Files {
		if !bytes.Equal(staged[out], data) {
			t.Errorf("%s: staged %d bytes, want the %d held", out, len(staged[out]), len(data))
		}
	}
	if got := []model.Picture{*site.Dossiers[0].Picture, *site.Actors[0].Picture}; !slices.Equal(got, wantPictures) {
		t.Errorf("pictures %+v, want %+v", got, wantPictures)
	}
	if *site.Dossiers[0].Card != wantCard {
		t.Errorf("card %+v, want %+v", *site.Dossiers[0].Card, wantCard)
	}
}
