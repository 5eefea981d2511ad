package importer

import (
	"cmp"
	"slices"
	"strings"
)

// A speaker named in part ("Kim", "Jong-un") matches no actor's whole name
// or alias, but may be part of some. resolvePartial looks the name up
// among the words of the known actors' names and aliases:
//
//   - one actor has it: that actor (a TODO asks to check);
//   - several have it, and one of them is named in the article more often
//     than the others: that one, with a TODO listing the others;
//   - several, none ahead: the speaker stays unknown, with a TODO that
//     lists the candidates for the curator to choose;
//   - none: the speaker is unknown, as before (create the actor).

// partialCandidates returns the slugs of the actors whose name or an alias
// holds the words of name, in order, as whole words ("kim" is in "kim jong
// un"; "jong" alone is in it too), sorted by slug.
func partialCandidates(name string, actors []KnownActor) []string {
	words := strings.Fields(foldName(name))
	if len(words) == 0 {
		return nil
	}
	var out []string
	for _, a := range actors {
		for _, n := range append([]string{a.Name}, a.Aliases...) {
			if containsWords(strings.Fields(foldName(n)), words) {
				out = append(out, a.Slug)
				break
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// containsWords reports whether part occurs in words as a run of whole words.
func containsWords(words, part []string) bool {
	for i := 0; i+len(part) <= len(words); i++ {
		if slices.Equal(words[i:i+len(part)], part) {
			return true
		}
	}
	return false
}

// resolvePartial gives the quotations whose speaker is an unknown name a
// known actor when the name is part of actors' names (see above).
// mentions counts how often the article names each actor.
func resolvePartial(quotes []found, actors []KnownActor, mentions map[string]int) {
	for i := range quotes {
		q := &quotes[i]
		if q.how != byUnknown || q.Speaker != "" || q.SpeakerName == "" {
			continue
		}
		cands := partialCandidates(q.SpeakerName, actors)
		if len(cands) == 0 {
			continue
		}
		// Most named first, then by slug.
		slices.SortStableFunc(cands, func(a, b string) int { return cmp.Compare(mentions[b], mentions[a]) })
		q.how, q.candidates = byPartial, cands
		if len(cands) == 1 || mentions[cands[0]] > mentions[cands[1]] {
			q.Speaker = cands[0]
		}
	}
}
