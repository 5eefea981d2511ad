package output

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkPatchCommit: a one-file patch of a site of 2,000 page folders
// and 2,000 cards in one folder, put in place, as a rebuild after a
// one-line edit does: "linked" with no spare (every other file linked,
// the previous site removed: the first rebuild after a clean build),
// "spare" staged in the spare the last commit kept (only the changed file
// linked). Compare its ns/op across changes of Commit.
func BenchmarkPatchCommit(b *testing.B) {
	for _, spare := range []bool{false, true} {
		name := map[bool]string{false: "linked", true: "spare"}[spare]
		b.Run(name, func(b *testing.B) {
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
				if !spare {
					b.StopTimer()
					if err := os.RemoveAll(SpareDir(dest)); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
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
			if spare && spareSupported {
				if err := VerifySpare(dest); err != nil {
					b.Error(err)
				}
			}
		})
	}
}
