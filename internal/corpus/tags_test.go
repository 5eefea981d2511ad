package corpus

import (
	"math/rand/v2"
	"testing"
)

// TestTagsPastThePairs: from 64,001 dossiers on, the corpus needs more tags
// (20+n/100) than there are base-qualifier pairs (660); generation must
// still end, with n distinct tags. Drawing pairs until n were found never
// ended there (the 100,000-dossier corpus hung).
func TestTagsPastThePairs(t *testing.T) {
	pairs := len(tagBase) * (1 + len(tagQualifiers))
	for _, n := range []int{120, pairs, pairs + 1, 20 + 100000/100, 5000} {
		c := &Corpus{}
		c.genTags(rand.New(rand.NewPCG(1, 2)), n)
		if len(c.Tags) != n {
			t.Fatalf("n=%d: %d tags", n, len(c.Tags))
		}
		seen := map[string]bool{}
		for _, tag := range c.Tags {
			if seen[tag] || tag == "" || slugify(tag, 100) != tag {
				t.Fatalf("n=%d: tag %q repeated or not a slug", n, tag)
			}
			seen[tag] = true
		}
	}
}
