package output

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkPatchCommit: a one-file patch of a site of 2,000 page folders
// and 2,000 cards in one folder, put in place (every other file linked,
// the previous site removed), as a rebuild after a one-line edit does.
// It was a walk of the destination with a mkdir per file and an
// os.RemoveAll per folder: compare its ns/op across changes of Commit.
func BenchmarkPatchCommit(b *testing.B) {
	dest := filepath.Join(b.TempDir(), "public")
	tree := Tree{}
	var paths []string
	for i := range 2000 {
		page := fmt.Sprintf("citations/q-%d/index.html", i)
		card := fmt.Sprintf("media/card.%d.png", i)
		tree[page] = File{Data: []byte(page)}
		tree[card] = File{Data: []byte(card)}
		paths = append(paths, page, card)
	}
	if err := Publish(dest, tree, nil); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := range b.N {
		p, err := BeginPatch(dest, MarkerID(dest), paths, nil)
		if err != nil {
			b.Fatal(err)
		}
		if err := p.Write("citations/q-0/index.html", File{Data: fmt.Appendf(nil, "edit %d", i)}); err != nil {
			b.Fatal(err)
		}
		finish, err := p.Commit(paths)
		if err != nil {
			b.Fatal(err)
		}
		if err := finish(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	entries, _ := os.ReadDir(filepath.Dir(dest))
	if len(entries) != 1 {
		b.Errorf("%d entries beside the destination; want only it", len(entries))
	}
}
