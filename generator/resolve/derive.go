package resolve

import (
	"slices"
	"sort"
	"strings"

	"github.com/dossier-ssg/dossier/generator/i18n"
	"github.com/dossier-ssg/dossier/generator/model"
)

// maxRelatedFanout skips entities named by more dossiers than this when
// ranking related dossiers: they say little about relatedness (like a stop
// word) and would make the ranking quadratic on large sites.
const maxRelatedFanout = 200

// addSpelling notes how a dossier wrote a tag, once per spelling, keeping
// the one of the first file: the spellings do not depend on the order of
// dossiers (newest first, which an edit of a date changes).
func addSpelling(tag *model.Tag, r model.Ref) {
	for i, s := range tag.Spellings {
		if s.Text == r.Text {
			if r.Pos.File < s.Pos.File {
				tag.Spellings[i] = r
			}
			return
		}
	}
	tag.Spellings = append(tag.Spellings, r)
}

// derive fills the backlinks and rankings from the direct relations.
func derive(site *model.Site, ix *Index, lang string) {
	tags := map[string]*model.Tag{}
	for _, d := range site.Dossiers {
		for _, a := range d.ActorList {
			a.Dossiers = append(a.Dossiers, d)
		}
		for _, t := range d.TreatyList {
			t.Dossiers = append(t.Dossiers, d)
		}
		for _, r := range d.Tags {
			tag := tags[r.Slug]
			if tag == nil {
				tag = &model.Tag{Slug: r.Slug, Lang: lang}
				tags[r.Slug] = tag
			}
			addSpelling(tag, r)
			tag.Dossiers = append(tag.Dossiers, d)
		}
		for _, q := range d.Quotes {
			site.Quotes = append(site.Quotes, q)
			if q.SpeakerActor != nil {
				q.SpeakerActor.Quotes = append(q.SpeakerActor.Quotes, q)
			}
		}
		// Mentions in the article body that the front matter does not list.
		for _, key := range d.Body.Links {
			kind, slug, _ := strings.Cut(key, "/")
			switch kind {
			case "actor":
				if a := ix.Actors[slug]; a != nil && !containsDossier(a.Dossiers, d) {
					a.MentionedBy = append(a.MentionedBy, d)
				}
			case "dossier":
				if o := ix.Dossiers[slug]; o != nil && o != d {
					o.MentionedBy = append(o.MentionedBy, d)
				}
			}
		}
	}
	for _, t := range site.Treaties {
		for _, a := range t.PartyList {
			a.Treaties = append(a.Treaties, t)
		}
		for _, a := range t.SignatoryList {
			if !slices.Contains(t.PartyList, a) {
				a.Treaties = append(a.Treaties, t)
			}
		}
	}
	for _, a := range site.Actors {
		if a.CountryActor != nil {
			a.CountryActor.Citizens = append(a.CountryActor.Citizens, a)
		}
	}
	for _, tag := range tags {
		site.Tags = append(site.Tags, tag)
	}
	relatedActors(site)
	relatedDossiers(site)
}

func containsDossier(list []*model.Dossier, d *model.Dossier) bool {
	for _, x := range list {
		if x == d {
			return true
		}
	}
	return false
}

// relatedActors counts co-occurrences in dossiers and treaties.
func relatedActors(site *model.Site) {
	counts := map[*model.Actor]map[*model.Actor]int{}
	add := func(group []*model.Actor) {
		for i, a := range group {
			for _, b := range group[i+1:] {
				if a == b {
					continue
				}
				if counts[a] == nil {
					counts[a] = map[*model.Actor]int{}
				}
				if counts[b] == nil {
					counts[b] = map[*model.Actor]int{}
				}
				counts[a][b]++
				counts[b][a]++
			}
		}
	}
	for _, d := range site.Dossiers {
		add(d.ActorList)
	}
	for _, t := range site.Treaties {
		add(t.PartyList)
	}
	for a, m := range counts {
		for b, n := range m {
			a.RelatedTo = append(a.RelatedTo, model.RelatedActor{Actor: b, Count: n})
		}
	}
}

// relatedDossiers ranks, for each dossier, the others by shared actors (1
// point), tags (1 point) and treaties (2 points: a treaty is a narrower
// subject), then newest first and by slug, keeping the best five. Scores live in a dense array indexed by dossier, and only the
// top five are kept while scanning: no map, no full sort per dossier.
func relatedDossiers(site *model.Site) {
	index := make(map[*model.Dossier]int, len(site.Dossiers))
	for i, d := range site.Dossiers {
		index[d] = i
	}
	tags := make(map[string]*model.Tag, len(site.Tags))
	for _, t := range site.Tags {
		tags[t.Slug] = t
	}
	score := make([]int, len(site.Dossiers))
	var touched []int
	bump := func(list []*model.Dossier, points int) {
		for _, o := range list {
			i := index[o]
			if score[i] == 0 {
				touched = append(touched, i)
			}
			score[i] += points
		}
	}
	for di, d := range site.Dossiers {
		touched = touched[:0]
		for _, a := range d.ActorList {
			if len(a.Dossiers) <= maxRelatedFanout {
				bump(a.Dossiers, 1)
			}
		}
		for _, t := range d.TreatyList {
			if len(t.Dossiers) <= maxRelatedFanout {
				bump(t.Dossiers, 2)
			}
		}
		for i, r := range d.Tags {
			if t := tags[r.Slug]; t != nil && len(t.Dossiers) <= maxRelatedFanout && !slices.ContainsFunc(d.Tags[:i], func(o model.Ref) bool { return o.Slug == r.Slug }) {
				bump(t.Dossiers, 1)
			}
		}
		var top []model.Related
		better := func(x, y model.Related) bool {
			if x.Score != y.Score {
				return x.Score > y.Score
			}
			return newer(x.Dossier, y.Dossier)
		}
		for _, i := range touched {
			if i != di {
				r := model.Related{Dossier: site.Dossiers[i], Score: score[i]}
				if len(top) < 5 || better(r, top[len(top)-1]) {
					pos := sort.Search(len(top), func(k int) bool { return better(r, top[k]) })
					top = append(top, model.Related{})
					copy(top[pos+1:], top[pos:])
					top[pos] = r
					if len(top) > 5 {
						top = top[:5]
					}
				}
			}
			score[i] = 0
		}
		d.Related = top
	}
}

// newer orders dossiers newest first, then by slug, so ties never depend on
// map or goroutine order.
func newer(a, b *model.Dossier) bool {
	if !a.Date.Equal(b.Date.Time) {
		return a.Date.After(b.Date.Time)
	}
	return a.Slug < b.Slug
}

// sortSite puts every list in display order. Lists of names follow the
// collation of lang (i18n.SortNames), ties broken by slug.
func sortSite(site *model.Site, lang string) {
	byNewest := func(list []*model.Dossier) {
		sort.Slice(list, func(i, j int) bool { return newer(list[i], list[j]) })
	}
	byNewest(site.Dossiers)
	byName := func(list []*model.Actor) {
		i18n.SortNames(lang, list, func(a *model.Actor) string { return a.Name }, func(a *model.Actor) string { return a.Slug })
	}
	byName(site.Actors)
	// An actor's place in the collation: related actors of equal rank
	// follow it, as every list of names does.
	place := make(map[*model.Actor]int, len(site.Actors))
	for i, a := range site.Actors {
		place[a] = i
	}
	sort.Slice(site.Treaties, func(i, j int) bool { return treatyLess(site.Treaties[i], site.Treaties[j]) })
	sort.Slice(site.Quotes, func(i, j int) bool { return quoteLess(site.Quotes[i], site.Quotes[j]) })
	sort.Slice(site.Tags, func(i, j int) bool { return site.Tags[i].Slug < site.Tags[j].Slug })
	for _, tag := range site.Tags {
		byNewest(tag.Dossiers)
		sort.Slice(tag.Spellings, func(i, j int) bool { return tag.Spellings[i].Pos.Less(tag.Spellings[j].Pos) })
	}
	for _, a := range site.Actors {
		byNewest(a.Dossiers)
		byNewest(a.MentionedBy)
		sort.Slice(a.Quotes, func(i, j int) bool { return quoteLess(a.Quotes[i], a.Quotes[j]) })
		sort.Slice(a.Treaties, func(i, j int) bool { return treatyLess(a.Treaties[i], a.Treaties[j]) })
		byName(a.Citizens)
		sort.Slice(a.RelatedTo, func(i, j int) bool {
			x, y := a.RelatedTo[i], a.RelatedTo[j]
			if x.Count != y.Count {
				return x.Count > y.Count
			}
			return place[x.Actor] < place[y.Actor]
		})
	}
	for _, t := range site.Treaties {
		byNewest(t.Dossiers)
	}
	for _, d := range site.Dossiers {
		byNewest(d.MentionedBy)
	}
}

func treatyLess(a, b *model.Treaty) bool {
	if !a.Signed.Equal(b.Signed.Time) {
		return a.Signed.Before(b.Signed.Time)
	}
	return a.Slug < b.Slug
}

// quoteLess orders quotes newest first, then by dossier and place in the file.
func quoteLess(a, b *model.Quote) bool {
	if !a.Date.Equal(b.Date.Time) {
		return a.Date.After(b.Date.Time)
	}
	if a.Dossier.Slug != b.Dossier.Slug {
		return a.Dossier.Slug < b.Dossier.Slug
	}
	return a.Pos.Line < b.Pos.Line
}
